/// run.json: what a run is (docs/run-format.md, version 1).
public struct RunManifest: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var name: String
        public var kind: String
        public var label: String
        public var hyperparameters: [String: JSONScalar]
        public var parent: String?
        public var fork_step: Int?

        public init(_ c: Configuration) {
            name = c.name; kind = c.kind.rawValue; label = c.label
            hyperparameters = JSONScalar.values(c.hyperparameters)
            parent = c.parent; fork_step = c.forkStep
        }

        // Keys with null values are written, as the format lists them.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name); try c.encode(kind, forKey: .kind); try c.encode(label, forKey: .label)
            try c.encode(hyperparameters, forKey: .hyperparameters)
            try c.encode(parent, forKey: .parent); try c.encode(fork_step, forKey: .fork_step)
        }
    }

    public static let format = "bpgrad-run"
    public static let version = 1

    public var format = RunManifest.format
    public var version = RunManifest.version
    public var writer = "bpgrad-tui"
    public var created: String
    public var preset: String?
    public var dataset: String?
    public var network: String?
    public var parameters: Int?
    public var batch_size: Int?
    public var steps_per_epoch: Int?
    public var total_steps: Int?
    public var previous: String?
    public var configurations: [Entry]

    public init(created: String, preset: String?, dataset: String?, network: String?, parameters: Int?, batchSize: Int?,
                stepsPerEpoch: Int?, totalSteps: Int?, previous: String?, configurations: [Configuration]) {
        self.created = created; self.preset = preset; self.dataset = dataset; self.network = network
        self.parameters = parameters; batch_size = batchSize; steps_per_epoch = stepsPerEpoch; total_steps = totalSteps
        self.previous = previous; self.configurations = configurations.map(Entry.init)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format); try c.encode(version, forKey: .version); try c.encode(writer, forKey: .writer)
        try c.encode(created, forKey: .created); try c.encode(preset, forKey: .preset); try c.encode(dataset, forKey: .dataset)
        try c.encode(network, forKey: .network); try c.encode(parameters, forKey: .parameters)
        try c.encode(batch_size, forKey: .batch_size); try c.encode(steps_per_epoch, forKey: .steps_per_epoch)
        try c.encode(total_steps, forKey: .total_steps); try c.encode(previous, forKey: .previous)
        try c.encode(configurations, forKey: .configurations)
    }
}
