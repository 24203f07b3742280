/// What a view reads at its frame rate: a consistent copy of every configuration's metrics
/// and the run's events.
public struct SessionSnapshot: Sendable {
    public var configurations: [ConfigurationMetrics]
    /// The most recent events (at most `MetricsStore.eventCapacity`), oldest first.
    public var events: [SessionEvent]
    /// Every marker event (`EventKind.isMarker`) of the run, exactly, oldest first.
    public var markers: [SessionEvent]
    /// Problems to show until the run ends (a file that cannot be written), newest last.
    public var alerts: [String]
    /// Training seconds of the configuration that has trained longest (pauses left out).
    public var elapsedSeconds: Double

    public init(configurations: [ConfigurationMetrics], events: [SessionEvent] = [], markers: [SessionEvent] = [],
                alerts: [String] = [], elapsedSeconds: Double = 0) {
        self.configurations = configurations; self.events = events; self.markers = markers
        self.alerts = alerts; self.elapsedSeconds = elapsedSeconds
    }

    /// The index of the configuration named `name`.
    public func index(of name: String) -> Int? { configurations.firstIndex { $0.name == name } }
}
