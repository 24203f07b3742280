/// A resolved experiment: data, network, loss, training schedule and the solvers to run.
public struct Preset: Sendable {
    public var name: String
    public var description: String
    /// The file it came from.
    public var source: String
    public var dataset: DatasetSpec
    public var network: [LayerSpec]
    public var loss: LossKind
    public var training: TrainingSpec
    /// The settings the preset gives each solver kind it names (`solvers:`), in file order:
    /// the base every configuration of that kind starts from.
    public var solvers: [Hyperparameters]
    /// The configurations to run when the command line names none (`configurations:`).
    public var configurations: [ConfigurationSpec]
    /// The `--set` overrides applied, as given.
    public var overrides: [String]
    /// The preset as YAML after overrides, for run directories.
    public var resolvedYAML: String

    /// The preset's settings for `kind`, or the kind's defaults when the preset does not list it.
    public func settings(for kind: SolverKind) -> Hyperparameters {
        solvers.first { $0.kind == kind } ?? SolverRegistry.descriptor(kind)?.defaults
            ?? Hyperparameters(schema: BPGrad.schema)
    }

    /// What a session runs: the configurations in `text` (the `--solvers` syntax), else the
    /// preset's `configurations:`, else BPGrad and Adam.
    public func configurations(_ text: String?, field: String = "--solvers") throws(EngineError) -> [Configuration] {
        if let text {
            return try ConfigurationList.resolve(try ConfigurationSyntax.parseList(text, field: field), base: settings, field: field)
        }
        if !configurations.isEmpty {
            return try ConfigurationList.resolve(configurations, base: settings, field: "\(source): configurations")
        }
        return try ConfigurationList.resolve([.init(solver: "bpgrad"), .init(solver: "adam")], base: settings, field: field)
    }

    /// One configuration for `train`: `text`, else the preset's first configuration, else the
    /// first solver it lists, else SGD.
    public func configuration(_ text: String?, field: String = "--solver") throws(EngineError) -> Configuration {
        let specs: [ConfigurationSpec]
        if let text {
            specs = try ConfigurationSyntax.parseList(text, field: field)
            guard specs.count == 1 else {
                throw .invalidValue(field: field, message: "'\(text)' names \(specs.count) configurations; train runs one (use compare for several)")
            }
        } else if let first = configurations.first {
            specs = [first]
        } else {
            specs = [.init(solver: (solvers.first?.kind ?? SGD.kind).rawValue)]
        }
        return try ConfigurationList.resolve(specs, base: settings, field: field)[0]
    }
}

/// How long and on what batches to train.
public struct TrainingSpec: Sendable, Equatable {
    public var batchSize: Int
    /// Exactly one of `steps` and `epochs` decides the length; steps wins when both are set.
    public var steps: Int?
    public var epochs: Int?
    public var seed: UInt64
    /// Evaluate on the test split every this many steps (and at each epoch end).
    public var evalEvery: Int
    /// `training.memory_budget_mb`; nil: `MemoryBudget.defaultMegabytes`.
    public var memoryBudgetMB: Int?

    /// The most steps a run may take: 2^53, the last count every step number is exact at as
    /// the Double the charts and logs use.
    public static let maxSteps = 1 << 53

    public init(batchSize: Int = 32, steps: Int? = nil, epochs: Int? = 1, seed: UInt64 = 0, evalEvery: Int = 100, memoryBudgetMB: Int? = nil) {
        self.batchSize = batchSize; self.steps = steps; self.epochs = epochs; self.seed = seed; self.evalEvery = evalEvery
        self.memoryBudgetMB = memoryBudgetMB
    }

    public var memoryBudget: MemoryBudget { memoryBudgetMB.map(MemoryBudget.init(megabytes:)) ?? .standard }

    /// Total steps for a training set of `count` samples (at most `maxSteps`; a run is
    /// checked with `checkedTotalSteps` before it starts).
    public func totalSteps(trainCount: Int) -> Int {
        (try? checkedTotalSteps(trainCount: trainCount)) ?? Self.maxSteps
    }

    /// Total steps, or an error when epochs x steps per epoch is more than `maxSteps`.
    public func checkedTotalSteps(trainCount: Int) throws(EngineError) -> Int {
        if let steps {
            guard steps <= Self.maxSteps else {
                throw .invalidValue(field: "training.steps", message: "\(steps) is more than \(Self.maxSteps) (2^53), the most steps a run may take")
            }
            return steps
        }
        let perEpoch = trainCount / max(batchSize, 1) + (trainCount % max(batchSize, 1) == 0 ? 0 : 1)
        let epochs = epochs ?? 1
        guard let total = CheckedSize.product(epochs, perEpoch), total <= Self.maxSteps else {
            throw .invalidValue(field: "training.epochs", message: "\(epochs) epochs of \(perEpoch) steps each is more than \(Self.maxSteps) (2^53) steps, the most a run may take")
        }
        return max(1, total)
    }
}

/// Where a preset's data comes from.
public struct DatasetSpec: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        case synthetic(SyntheticKind)
        /// IDX files; `directory` holds train-images-idx3-ubyte(.gz) and friends unless paths are given.
        case idx(trainImages: String, trainLabels: String, testImages: String?, testLabels: String?)
        case csv(path: String, label: CSVReader.LabelColumn, header: Bool?, regression: Bool)
    }

    public var source: Source
    public var n = 1000
    public var noise = 0.1
    public var classes = 3
    public var testFraction = 0.2
    /// Keep at most this many training samples (nil: all), for quick experiments.
    public var limit: Int?

    public init(source: Source) { self.source = source }
}
