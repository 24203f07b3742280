import Foundation

/// The most memory a run may take: datasets, networks and batches are sized against it before
/// anything is allocated, so a typo such as `batch_size: 1000000000` is a sentence naming the
/// sizes instead of "failed to allocate" (or, when a size wraps, a segfault).
///
/// Default 4 GiB, fixed so that the same preset behaves the same on every machine; a preset
/// (or `--set training.memory_budget_mb=N`) may raise it up to the machine's physical memory.
/// The estimate is meant as an upper bound of the process's memory: the program itself (its
/// libraries and oneDNN's generated code, 27 to 40 MB measured), the data (with the copies the
/// train/test split makes), and per trainer the parameters, gradients, up to three solver state
/// vectors, the layers' batch buffers, what oneDNN's convolutions keep for every batch size the
/// run passes through (worked out from their primitive descriptors), and the trainer's own
/// minibatch buffers. `scripts/memory_estimate.sh` compares it with the peak resident size.
public struct MemoryBudget: Sendable, Equatable {
    public static let defaultMegabytes = 4096
    public static let standard = MemoryBudget(megabytes: defaultMegabytes)

    public static var physicalMegabytes: Int { Int(clamping: ProcessInfo.processInfo.physicalMemory >> 20) }

    public let bytes: Int

    public init(megabytes: Int) {
        let (b, overflow) = max(0, megabytes).multipliedReportingOverflow(by: 1 << 20)
        bytes = overflow ? Int.max : b
    }

    /// Throws when `needed` (nil: it overflowed while being computed) is more than the budget.
    public func require(_ needed: Int?, for subject: String, breakdown: String = "") throws(EngineError) {
        guard let needed, needed <= bytes else {
            throw .memoryBudget(subject: subject, needed: needed, budget: bytes, breakdown: breakdown)
        }
    }

    /// Solver state vectors per parameter, at most, over every registered solver.
    static let solverStateVectors = SolverRegistry.all.map(\.maxStateVectors).max() ?? 0

    /// Trainers evaluate in batches of at least this many samples (`Trainer.evalBatch`).
    static let evaluationBatch = 256

    /// The program before any buffer: the Swift runtime, ncurses, cairo, oneDNN and its JIT
    /// kernels (27 MB for `bpgrad-tui solvers`, 39 MB for a spirals run, measured).
    static let programBytes = 64 << 20

    /// Checks that `trainers` trainers of `network` on `data` with batches of `batchSize` fit:
    /// the 32-bit limits of max pooling and the kernels first (no budget lifts those), then the budget.
    public func check(network: NetworkPlan, batchSize: Int, data: DataSplit, trainers: Int = 1, subject: String) throws(EngineError) {
        let batch = max(batchSize, Self.evaluationBatch)
        try network.checkBatch(batch, requested: batchSize)
        let sample = data.train.sampleShape.dims.reduce(1, *), targetWidth = data.train.task.targetWidth
        let outputs = network.outputShape.dims.reduce(1, *)
        let dataBytes = CheckedSize.sum(data.train.features.byteCount, data.test.features.byteCount,
                                        CheckedSize.product(4, CheckedSize.sum(data.train.targets.count, data.test.targets.count)))
        // The experiment's own network and its copy of the initial weights, then per trainer
        // parameters, gradients and solver state.
        let shared = CheckedSize.product(4, 3, network.parameterCount)
        let state = CheckedSize.product(4, 2 + Self.solverStateVectors, network.parameterCount)
        let buffers = CheckedSize.sum(network.bufferBytes(batch: batch),
                                      CheckedSize.product(4, batch, CheckedSize.sum(sample, targetWidth, outputs)),
                                      CheckedSize.product(8, data.train.count))
        // Training passes full batches and the epoch's last partial one; evaluation on the test
        // set, batches of `batch` and its last partial one.
        let sizes = Set([batchSize, batch, data.train.count % max(batchSize, 1), data.test.count % batch].filter { $0 > 0 })
        let backend = network.backendBytes(batchSizes: sizes)
        let perTrainer = CheckedSize.sum(state, buffers, backend)
        let total = CheckedSize.sum(Self.programBytes, dataBytes, shared, CheckedSize.product(trainers, perTrainer))
        func text(_ n: Int?) -> String { n.map(NumberText.bytes) ?? "overflow" }
        let each = trainers == 1 ? "" : " each, for \(trainers) solvers"
        let breakdown = "data \(text(dataBytes)); \(network.parameterCount) parameters with gradients and solver state \(text(state))\(each); "
            + "layer buffers for batches of \(batch) samples \(text(buffers))\(each)"
            + (backend.map { $0 > 0 } ?? true ? "; oneDNN's convolution copies \(text(backend))\(each)" : "")
            + "; the program \(text(Self.programBytes))"
        try require(total, for: subject, breakdown: breakdown)
    }
}

extension MemoryBudget {
    /// Checks the preset's network and batch against its loaded data and its own budget, for
    /// `trainers` trainers (one per solver of a session).
    public static func check(_ preset: Preset, data: DataSplit, trainers: Int = 1) throws(EngineError) {
        let plan = try NetworkPlan(specs: preset.network, inputShape: data.train.sampleShape)
        let subject = "preset \(preset.name): training \(preset.network.map(\.description).joined(separator: " ")) on batches of \(preset.training.batchSize)"
        try preset.training.memoryBudget.check(network: plan, batchSize: preset.training.batchSize, data: data, trainers: trainers, subject: subject)
    }
}

extension Experiment {
    /// Checks that `trainers` trainers (one per solver of a session) fit the preset's memory
    /// budget; `Experiment.init` checks one.
    public func checkMemory(trainers: Int) throws(EngineError) {
        try MemoryBudget.check(preset, data: data, trainers: trainers)
    }
}
