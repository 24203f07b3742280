import DequeModule
import Foundation

/// What the UI reads at its frame rate: a consistent copy of every solver's metrics.
public struct SessionSnapshot: Sendable {
    public var solvers: [SolverMetrics]
    /// The most recent events (at most `MetricsStore.eventCapacity`), oldest first.
    public var events: [SessionEvent]
    public var elapsedSeconds: Double

    public init(solvers: [SolverMetrics], events: [SessionEvent], elapsedSeconds: Double) {
        self.solvers = solvers; self.events = events; self.elapsedSeconds = elapsedSeconds
    }
}

/// Metrics shared between training queues (writers) and the UI (reader).
///
/// A mutex guards plain value types. A reader's `snapshot()` holds the lock only while it
/// copies the structs, which shares the series' storage (copy-on-write) rather than copying
/// it, so a reader never holds training up for more than a few microseconds.
public final class MetricsStore: Sendable {
    public static let eventCapacity = 1000

    private struct State {
        var solvers: [SolverMetrics]
        var events = Deque<SessionEvent>()
    }

    private let state: Locked<State>
    private let start: UInt64

    public init(solvers: [SolverSpec], totalSteps: Int) {
        state = Locked(State(solvers: solvers.map { SolverMetrics(spec: $0, totalSteps: totalSteps) }))
        start = DispatchTime.now().uptimeNanoseconds
    }

    public var elapsedSeconds: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

    public func snapshot() -> SessionSnapshot {
        state.withLock { SessionSnapshot(solvers: $0.solvers, events: Array($0.events), elapsedSeconds: elapsedSeconds) }
    }

    public func record(solver i: Int, row: StepRow, samplesPerSecond: Double?) {
        let wall = row.wallMilliseconds / 1000
        state.withLock { $0.solvers[i].record(row, samplesPerSecond: samplesPerSecond, wallSeconds: wall) }
    }

    public func setStatus(solver i: Int, _ status: SolverStatus) {
        state.withLock { $0.solvers[i].status = status }
    }

    public func setHyperparameters(solver i: Int, _ hyper: Hyperparameters) {
        state.withLock { $0.solvers[i].hyper = hyper }
    }

    public func setBoundary(solver i: Int, _ boundary: DecisionBoundary) {
        state.withLock { $0.solvers[i].boundary = boundary }
    }

    public func clearHistory(solver i: Int) {
        state.withLock { $0.solvers[i].clearHistory() }
    }

    public func add(_ event: SessionEvent) {
        state.withLock {
            $0.events.append(event)
            if $0.events.count > Self.eventCapacity { $0.events.removeFirst() }
        }
    }
}
