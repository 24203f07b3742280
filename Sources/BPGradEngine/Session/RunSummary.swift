/// summary.json: each configuration's status and headline numbers (docs/run-format.md).
public struct RunSummary: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable { case running, finished, stopped }

    public struct Entry: Codable, Sendable, Equatable {
        public var solver: String
        public var kind: String
        public var label: String
        public var hyperparameters: [String: JSONScalar]
        public var status: String
        public var steps: Int
        public var final_loss: Double?
        public var best_loss: Double?
        public var final_test_loss: Double?
        public var best_test_accuracy: Double?
        public var samples_per_second: Double
        public var wall_seconds: Double

        public init(_ m: ConfigurationMetrics) {
            solver = m.name; kind = m.kind.rawValue; label = m.label
            hyperparameters = JSONScalar.values(m.hyper)
            status = m.status.description
            steps = m.step
            final_loss = m.lossEMA.flatMap { $0.isFinite ? $0 : nil }
            best_loss = m.bestLoss
            final_test_loss = m.lastTestLoss.flatMap { $0.isFinite ? $0 : nil }
            best_test_accuracy = m.bestTestAccuracy
            samples_per_second = m.samplesPerSecond
            wall_seconds = m.trainingSeconds
        }
    }

    public var format = RunManifest.format
    public var version = RunManifest.version
    public var state: State
    public var updated: String
    public var solvers: [Entry]

    public init(state: State, updated: String, snapshot: SessionSnapshot) {
        self.state = state
        self.updated = updated
        solvers = snapshot.configurations.map(Entry.init)
    }
}
