/// A preset with its data loaded and the initial weights drawn: everything needed to start
/// any number of trainers from the same point.
public struct Experiment: Sendable {
    public let preset: Preset
    public let data: DataSplit
    public let initialParameters: [Float]
    public let parameterCount: Int
    public let networkSummary: String

    public init(preset: Preset) throws(EngineError) {
        self.preset = preset
        data = try DatasetLoader.load(preset.dataset, seed: preset.training.seed, budget: preset.training.memoryBudget)
        _ = try preset.training.checkedTotalSteps(trainCount: data.train.count)
        try MemoryBudget.check(preset, data: data)
        let network = try Network(specs: preset.network, inputShape: data.train.sampleShape, seed: preset.training.seed)
        try Trainer.check(network: network, data: data, loss: preset.loss)
        initialParameters = network.parameters.array
        parameterCount = network.parameterCount
        networkSummary = preset.network.map(\.description).joined(separator: " ")
    }

    /// A trainer for `configuration` starting from the shared initial weights.
    public func makeTrainer(_ configuration: Configuration) throws(EngineError) -> Trainer {
        try Trainer(preset: preset, data: data, solver: configuration.makeSolver(), initialParameters: initialParameters)
    }

    public var stepsPerEpoch: Int { (data.train.count + preset.training.batchSize - 1) / max(1, preset.training.batchSize) }

    public var totalSteps: Int { preset.training.totalSteps(trainCount: data.train.count) }
}
