import Foundation
import CKernels

/// One solver training one network on one data split, a minibatch at a time.
///
/// The minibatch order depends only on the training seed, so trainers built from the same
/// preset see identical batches whatever their solver. All buffers are sized at init;
/// `step()` allocates nothing.
public final class Trainer {
    public let preset: Preset
    public let network: Network
    public let solver: any Solver
    public let data: DataSplit
    public let loss: LossKind
    public let batchSize: Int
    public let seed: UInt64

    public private(set) var step = 0
    public private(set) var epoch = 1
    private var order: [Int]
    private var position = 0
    private let input: FloatBuffer, target: FloatBuffer, outputGrad: FloatBuffer
    private let evalBatch: Int
    /// When set, `trainStep` adds each phase's time to it (`bench`'s breakdown; off otherwise,
    /// costing one branch per phase). Its GEMM share reads `GEMM.timeSpent`, which counts every
    /// thread's products: time phases with this trainer alone running.
    public var phases: StepPhases?

    /// Builds the network from the preset's layers and checks it fits the data.
    public init(preset: Preset, data: DataSplit, solver: any Solver, initialParameters: [Float]? = nil) throws(EngineError) {
        let t = preset.training
        let net = try Network(specs: preset.network, inputShape: data.train.sampleShape, seed: t.seed)
        try Trainer.check(network: net, data: data, loss: preset.loss)
        if let initialParameters {
            precondition(initialParameters.count == net.parameterCount, "initial parameters do not fit the network")
            initialParameters.withUnsafeBufferPointer { net.parameters.pointer.update(from: $0.baseAddress!, count: $0.count) }
        }
        self.preset = preset
        network = net
        self.solver = solver
        self.data = data
        loss = preset.loss
        batchSize = t.batchSize
        seed = t.seed
        evalBatch = max(t.batchSize, 256)
        network.reserve(batch: evalBatch)
        input = FloatBuffer(count: evalBatch * data.train.sampleShape.count)
        target = FloatBuffer(count: evalBatch * data.train.task.targetWidth)
        outputGrad = FloatBuffer(count: evalBatch * network.outputShape.count)
        order = Array(0..<data.train.count)
        shuffle()
    }

    /// The network's output must match the task: one logit per class, or one value per target.
    static func check(network: Network, data: DataSplit, loss: LossKind) throws(EngineError) {
        guard data.train.count > 0 else { throw .dataset(path: data.name, message: "has no training samples") }
        let out = network.outputShape
        let last = "layer \(network.layers.count) (output)"
        switch (data.train.task, loss) {
        case (.classification(let classes), .crossEntropy):
            guard out == Shape([classes]) else {
                throw .shape(layer: last, message: "produces \(out) but the data has \(classes) classes: the last layer should be dense(\(classes))")
            }
        case (.classification(let classes), .mse):
            throw .shape(layer: last, message: "loss 'mse' needs regression targets, but the data has \(classes) classes: use loss: cross_entropy")
        case (.regression(let k), .mse):
            guard out == Shape([k]) else { throw .shape(layer: last, message: "produces \(out) but each target has \(k) values: the last layer should be dense(\(k))") }
        case (.regression, .crossEntropy):
            throw .shape(layer: last, message: "loss 'cross_entropy' needs class labels, but the data is a regression: use loss: mse")
        }
    }

    /// The epoch's batch order, drawn in place (no allocation) from the seed and epoch alone.
    private func shuffle() {
        var rng = SeededGenerator(seed: seed, stream: 0x5EED_0000 &+ UInt64(epoch))
        for i in order.indices { order[i] = i }
        rng.shuffle(&order)
        position = 0
    }

    /// What one step did.
    public struct StepResult: Sendable {
        public var step: Int
        public var epoch: Int
        public var loss: Double
        public var accuracy: Double?
        public var telemetry: SolverTelemetry
        public var epochEnded: Bool
        /// Loss or parameters stopped being finite.
        public var diverged: Bool
        public var samples: Int

        /// Evaluate on the test set after this step: every `evalEvery` steps, at each epoch
        /// end and at the last step, unless the solver diverged.
        public func wantsEvaluation(every evalEvery: Int, totalSteps: Int) -> Bool {
            !diverged && (step % evalEvery == 0 || epochEnded || step == totalSteps)
        }
    }

    /// Trains on the next minibatch.
    public func trainStep() -> StepResult {
        let train = data.train
        let n = min(batchSize, order.count - position)
        let epochStart = position == 0
        var clock = phases == nil ? nil : StepPhases.Clock()
        gather(train, indices: order[position..<(position + n)])
        clock?.lap(.gather, into: &phases)
        position += n
        step += 1

        let out = network.forward(input.pointer, batch: n, training: true)
        clock?.lap(.forward, into: &phases)
        let result = evaluateLoss(out, batch: n, task: train.task, gradient: outputGrad.pointer)
        clock?.lap(.loss, into: &phases)
        // Overwrites every gradient: no zeroing pass over the parameters first.
        network.backward(outputGrad.pointer, batch: n, accumulate: false)
        clock?.lap(.backward, into: &phases)
        let context = StepContext(loss: result.loss, epoch: epoch, epochStart: epochStart)
        let telemetry: SolverTelemetry
        if result.loss.isFinite {
            telemetry = solver.step(parameters: network.parameters.pointer, gradients: network.gradients.pointer,
                                    count: network.parameterCount, context: context)
        } else {
            telemetry = SolverTelemetry()
        }
        clock?.lap(.solver, into: &phases)
        clock?.finish(into: &phases)
        let diverged = !result.loss.isFinite || !telemetry.stepNorm.isFinite || !telemetry.gradNorm.isFinite
        let thisEpoch = epoch
        let ended = position >= order.count
        if ended { epoch += 1; shuffle() }
        var accuracy: Double?
        if case .classification = train.task { accuracy = Double(result.correct) / Double(n) }
        return StepResult(step: step, epoch: thisEpoch, loss: result.loss, accuracy: accuracy, telemetry: telemetry,
                          epochEnded: ended, diverged: diverged, samples: n)
    }

    /// Mean loss and accuracy (nil for regression) over a whole dataset, without touching gradients.
    public func evaluate(_ set: Dataset) -> Evaluation {
        var total = 0.0, correct = 0, start = 0
        while start < set.count {
            let n = min(evalBatch, set.count - start)
            gather(set, indices: start..<(start + n))
            let out = network.forward(input.pointer, batch: n, training: false)
            let r = evaluateLoss(out, batch: n, task: set.task, gradient: nil)
            total += r.loss * Double(n)
            correct += r.correct
            start += n
        }
        let count = Double(max(set.count, 1))
        if case .classification = set.task { return Evaluation(loss: total / count, accuracy: Double(correct) / count) }
        return Evaluation(loss: total / count, accuracy: nil)
    }

    /// An independent trainer at exactly this point: the same weights, solver state, position
    /// in the minibatch stream and dropout streams, so both continue identically (forks).
    public func fork() throws(EngineError) -> Trainer {
        let twin = try Trainer(preset: preset, data: data, solver: solver.copy(), initialParameters: network.parameters.array)
        twin.step = step
        twin.epoch = epoch
        twin.order = order
        twin.position = position
        twin.network.copyRandomState(from: network)
        return twin
    }

    /// Class probabilities or regression outputs for arbitrary points (decision boundaries).
    public func predict(_ points: [Float]) -> [Float] {
        let d = data.train.sampleShape.count, k = network.outputShape.count
        var result = [Float](); result.reserveCapacity(points.count / d * k)
        var start = 0
        let total = points.count / d
        while start < total {
            let n = min(evalBatch, total - start)
            points.withUnsafeBufferPointer { input.pointer.update(from: $0.baseAddress! + start * d, count: n * d) }
            let out = network.forward(input.pointer, batch: n, training: false)
            result.append(contentsOf: UnsafeBufferPointer(start: out, count: n * k))
            start += n
        }
        return result
    }

    /// A shuffled minibatch: rows scattered over the dataset, gathered with prefetching.
    private func gather(_ set: Dataset, indices: ArraySlice<Int>) {
        let d = set.sampleShape.count, w = set.task.targetWidth
        indices.withUnsafeBufferPointer { idx in
            set.features.gather(rows: idx, width: d, into: input.pointer)
            set.targets.withUnsafeBufferPointer { t in
                bpg_gather_rows(target.pointer, t.baseAddress!, idx.baseAddress!, idx.count, w)
            }
        }
    }

    /// Consecutive samples (evaluation): one copy each for features and targets.
    private func gather(_ set: Dataset, indices: Range<Int>) {
        let d = set.sampleShape.count, w = set.task.targetWidth
        set.features.copy(rows: indices, width: d, into: input.pointer)
        set.targets.withUnsafeBufferPointer { t in
            target.pointer.update(from: t.baseAddress! + indices.lowerBound * w, count: indices.count * w)
        }
    }

    private func evaluateLoss(_ out: UnsafePointer<Float>, batch: Int, task: Dataset.Task,
                              gradient: UnsafeMutablePointer<Float>?) -> LossResult {
        switch task {
        case .classification(let classes):
            return LossFunction.crossEntropy(logits: out, labels: target.pointer, batch: batch, classes: classes, gradient: gradient)
        case .regression(let k):
            return LossFunction.meanSquaredError(outputs: out, targets: target.pointer, count: batch * k, gradient: gradient)
        }
    }
}
