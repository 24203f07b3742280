import DequeModule
import Foundation

/// Metrics shared between training queues (writers) and views (readers).
///
/// A lock guards plain value types. A reader's `snapshot()` holds the lock only while it
/// copies the structs, which shares the series' storage (copy-on-write) rather than copying
/// it, so a reader never holds training up for more than a few microseconds.
public final class MetricsStore: Sendable {
    public static let eventCapacity = 1000
    /// Markers are kept exactly; this only guards memory against a runaway command loop.
    public static let markerCapacity = 100_000

    private struct State {
        var configurations: [ConfigurationMetrics]
        var events = Deque<SessionEvent>()
        var markers: [SessionEvent] = []
        var alerts: [String] = []
    }

    private let state: Locked<State>

    public init(configurations: [Configuration], totalSteps: Int, targetLoss: Double? = nil) {
        state = Locked(State(configurations: configurations.map {
            ConfigurationMetrics(configuration: $0, totalSteps: totalSteps, targetLoss: targetLoss)
        }))
    }

    public func snapshot() -> SessionSnapshot {
        state.withLock { s in
            SessionSnapshot(configurations: s.configurations, events: Array(s.events), markers: s.markers, alerts: s.alerts,
                            elapsedSeconds: s.configurations.map(\.trainingSeconds).max() ?? 0)
        }
    }

    public var count: Int { state.withLock { $0.configurations.count } }

    /// Adds a configuration (a fork) and returns its index.
    public func add(_ metrics: ConfigurationMetrics) -> Int {
        state.withLock { $0.configurations.append(metrics); return $0.configurations.count - 1 }
    }

    public func record(_ i: Int, _ record: StepRecord) {
        state.withLock { $0.configurations[i].record(record) }
    }

    public func setStatus(_ i: Int, _ status: SolverStatus) {
        state.withLock { $0.configurations[i].status = status }
    }

    public func setHyperparameters(_ i: Int, _ hyper: Hyperparameters) {
        state.withLock { $0.configurations[i].configuration.hyperparameters = hyper }
    }

    public func setBoundary(_ i: Int, _ boundary: DecisionBoundary) {
        state.withLock { $0.configurations[i].boundary = boundary }
    }

    public func add(_ event: SessionEvent) {
        state.withLock {
            $0.events.append(event)
            if $0.events.count > Self.eventCapacity { $0.events.removeFirst() }
            if event.kind.isMarker, $0.markers.count < Self.markerCapacity { $0.markers.append(event) }
        }
    }

    /// A problem to show on screen, once.
    public func alert(_ message: String) {
        state.withLock { if !$0.alerts.contains(message) { $0.alerts.append(message) } }
    }
}
