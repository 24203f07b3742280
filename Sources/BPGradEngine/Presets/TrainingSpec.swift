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
