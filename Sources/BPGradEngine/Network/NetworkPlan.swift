/// A network worked out on paper before any layer is built: every shape, parameter count and
/// buffer size, computed with checked arithmetic.
///
/// Layer initialisers compute their sizes with plain `*` and `+`, which trap on overflow:
/// `dense: 4611686018427387904` would stop the program with a Swift trap instead of a message
/// (and under -Ounchecked would wrap to a buffer of a few bytes). `Network` builds a plan
/// first, so such a preset is refused with the layer named, and `MemoryBudget` sizes a whole run from the plan before anything is allocated.
public struct NetworkPlan: Sendable {
    /// One layer's sizes.
    public struct Stage: Sendable {
        public var label: String
        public var input: Shape
        public var output: Shape
        public var parameters: Int
        /// Floats the layer keeps per sample of a batch (outputs, input gradients, masks).
        public var floatsPerSample: Int
        /// Int32 indices kept per sample (max pooling's winners).
        public var indicesPerSample: Int
        /// Convolution only: the patch matrix's rows and the output pixels per sample.
        public var patchSize = 0, pixels = 0, filters = 0
        /// Bytes the layer's backend allocates for batches of n samples besides the buffers
        /// above (oneDNN's copies in its preferred layouts and its primitives' own memory);
        /// nil when it allocates none.
        public var backendBytes: (@Sendable (Int) -> Int?)?
    }

    /// The largest size of a layer, a sample or a batch: max pooling indexes its batch with
    /// Int32, and the kernels are written and tested for sizes below 2^31.
    public static let int32Limit = Int(Int32.max)

    public let inputShape: Shape
    public let stages: [Stage]
    public let parameterCount: Int

    public var outputShape: Shape { stages.last?.output ?? inputShape }

    /// Throws a `.shape` error naming the first layer that does not fit or whose sizes overflow.
    public init(specs: [LayerSpec], inputShape: Shape) throws(EngineError) {
        guard !inputShape.dims.isEmpty, inputShape.dims.allSatisfy({ $0 >= 1 }), let inputCount = CheckedSize.product(inputShape.dims) else {
            throw .shape(layer: "input", message: "the samples have shape \(inputShape); every dimension must be at least 1")
        }
        guard inputCount <= Self.int32Limit else {
            throw .shape(layer: "input", message: "a sample of shape \(inputShape) has \(inputCount) values, more than \(Self.int32Limit) (2^31 - 1), the largest sample bpgrad-tui takes")
        }
        var shape = inputShape
        var stages = [Stage]()
        var total = 0
        for (i, spec) in specs.enumerated() {
            let stage = try spec.definition.plan(spec.options, LayerPlanner(input: shape, label: "layer \(i + 1) (\(spec))"))
            guard let sum = CheckedSize.sum(total, stage.parameters) else {
                throw .shape(layer: stage.label, message: "brings the parameter count past what a 64-bit size can count")
            }
            total = sum
            stages.append(stage)
            shape = stage.output
        }
        self.inputShape = inputShape
        self.stages = stages
        parameterCount = total
    }

    /// The convolution's im2col block for `batch` samples, as `Conv2D.reserve` sizes it
    /// (patch matrices of at most 2^17 floats, at least one sample).
    static func convolutionBlock(_ s: Stage, batch: Int) -> Int {
        max(1, min(batch, (1 << 17) / max(1, s.patchSize * s.pixels)))
    }

    /// Bytes the layers' buffers hold once reserved for `batch` samples; nil when it overflows.
    public func bufferBytes(batch: Int) -> Int? {
        var parts = [Int?]()
        for s in stages {
            parts.append(CheckedSize.product(4, batch, s.floatsPerSample))
            parts.append(CheckedSize.product(4, batch, s.indicesPerSample))
            if s.patchSize > 0 {
                let block = Self.convolutionBlock(s, batch: batch)
                parts.append(CheckedSize.product(4, block, s.pixels, CheckedSize.sum(s.patchSize, s.filters)))
            }

        }
        return CheckedSize.sum(parts)
    }

    /// Bytes the layers' backends hold when batches of `sizes` samples pass through them: a
    /// convolution keeps oneDNN primitives for every batch size it has seen (a run has at
    /// most four), so each counts.
    public func backendBytes(batchSizes sizes: Set<Int>) -> Int? {
        var parts = [Int?]()
        for s in stages {
            guard let bytes = s.backendBytes else { continue }
            parts += sizes.map { bytes($0) }
        }
        return CheckedSize.sum(parts)
    }

    /// Limits a batch must respect whatever the budget: at most 2^31 - 1 samples, and max
    /// pooling indexes its whole batch with Int32. `batch` is what buffers are sized
    /// for, `requested` the preset's batch size (evaluation uses larger batches).
    public func checkBatch(_ batch: Int, requested: Int) throws(EngineError) {
        guard batch <= Self.int32Limit else {
            throw .invalidValue(field: "training.batch_size", message: "\(batch) is more than \(Self.int32Limit) (2^31 - 1), the largest batch bpgrad-tui takes")
        }
        let batches = batch == requested ? "batches of \(batch)" : "evaluation batches of \(batch)"
        for s in stages where s.indicesPerSample > 0 {
            let inputs = s.input.dims.reduce(1, *)
            guard let all = CheckedSize.product(batch, inputs), all <= Self.int32Limit else {
                throw .shape(layer: s.label, message: "indexes its whole batch with 32-bit integers, and \(batches) samples of \(s.input) are more than \(Self.int32Limit) values; make the layer's input or the batch smaller")
            }
        }
    }
}
