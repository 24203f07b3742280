/// A network worked out on paper before any layer is built: every shape, parameter count and
/// buffer size, computed with checked arithmetic.
///
/// Layer initialisers compute their sizes with plain `*` and `+`, which wrap silently in
/// release builds (-Ounchecked): `dense: 4611686018427387904` would become a buffer of a few
/// bytes and a segfault. `Network` builds a plan first, so such a preset is refused with the
/// layer named, and `MemoryBudget` sizes a whole run from the plan before anything is allocated.
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
    }

    /// The largest size the BLAS library (32-bit `blasint`) and max pooling's Int32 indices can take.
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
            throw .shape(layer: "input", message: "a sample of shape \(inputShape) has \(inputCount) values, more than \(Self.int32Limit), the most the BLAS library's 32-bit sizes allow")
        }
        var shape = inputShape
        var stages = [Stage]()
        var total = 0
        for (i, spec) in specs.enumerated() {
            let stage = try Self.stage(spec, input: shape, label: "layer \(i + 1) (\(spec))")
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

    private static func stage(_ spec: LayerSpec, input: Shape, label: String) throws(EngineError) -> Stage {
        // The input's count is known to fit: the previous stage (or the input check) computed it.
        let count = input.dims.reduce(1, *)
        func fail(_ message: String) -> EngineError { .shape(layer: label, message: message) }
        func within32(_ value: Int?, _ what: String) throws(EngineError) -> Int {
            guard let value else { throw fail("\(what) overflows a 64-bit size") }
            guard value <= int32Limit else {
                throw fail("\(what) is \(value), more than \(int32Limit), the most the BLAS library's 32-bit sizes allow")
            }
            return value
        }
        func stage(_ output: Shape, parameters: Int = 0, floats: Int, indices: Int = 0) -> Stage {
            Stage(label: label, input: input, output: output, parameters: parameters, floatsPerSample: floats, indicesPerSample: indices)
        }
        switch spec {
        case .dense(let units):
            guard units > 0 else { throw fail("units must be positive, got \(units)") }
            guard input.rank == 1 else {
                throw fail("expects a flat input but receives \(input); add a 'flatten' layer before it")
            }
            let units = try within32(units, "the number of units")
            guard let weights = CheckedSize.product(units, count), let parameters = CheckedSize.sum(weights, units) else {
                throw fail("\(count) inputs x \(units) units overflow a 64-bit size")
            }
            return stage(Shape([units]), parameters: parameters, floats: units + count)
        case let .conv2d(filters, kernel, stride, padding):
            guard input.rank == 3 else {
                throw fail("expects a [channels, height, width] input but receives \(input)")
            }
            guard filters > 0, kernel > 0, stride > 0, padding >= 0 else {
                throw fail("filters, kernel and stride must be positive and padding non-negative")
            }
            let (c, h, w) = (input.dims[0], input.dims[1], input.dims[2])
            guard let twice = CheckedSize.product(2, padding), let ph = CheckedSize.sum(h, twice), let pw = CheckedSize.sum(w, twice) else {
                throw fail("padding \(padding) overflows a 64-bit size")
            }
            guard kernel <= ph, kernel <= pw else {
                throw fail("a \(kernel)x\(kernel) kernel with stride \(stride) and padding \(padding) does not fit the input \(input)")
            }
            let oh = (ph - kernel) / stride + 1, ow = (pw - kernel) / stride + 1
            let filters = try within32(filters, "the number of filters")
            let patch = try within32(CheckedSize.product(c, kernel, kernel), "the patch size (channels x kernel x kernel)")
            let pixels = try within32(CheckedSize.product(oh, ow), "the output size \(oh)x\(ow)")
            let outCount = try within32(CheckedSize.product(filters, pixels), "the output size \(filters)x\(oh)x\(ow)")
            guard let weights = CheckedSize.product(filters, patch), let parameters = CheckedSize.sum(weights, filters) else {
                throw fail("\(filters) filters of \(patch) weights overflow a 64-bit size")
            }
            var s = stage(Shape([filters, oh, ow]), parameters: parameters, floats: outCount + count)
            s.patchSize = patch; s.pixels = pixels; s.filters = filters
            return s
        case let .maxpool2d(size, stride):
            guard input.rank == 3 else {
                throw fail("expects a [channels, height, width] input but receives \(input)")
            }
            guard size > 0, stride > 0, input.dims[1] >= size, input.dims[2] >= size else {
                throw fail("a \(size)x\(size) window with stride \(stride) does not fit the input \(input)")
            }
            let out = Shape([input.dims[0], (input.dims[1] - size) / stride + 1, (input.dims[2] - size) / stride + 1])
            let outCount = out.dims.reduce(1, *)  // at most the input's count
            return stage(out, floats: outCount + count, indices: outCount)
        case .flatten:
            return stage(Shape([count]), floats: 0)
        case .relu, .leakyReLU, .tanh, .sigmoid:
            return stage(input, floats: 2 * count)
        case .dropout(let rate):
            guard rate >= 0, rate < 1 else { throw fail("rate must be in [0, 1), got \(rate)") }
            return stage(input, floats: 3 * count)
        }
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

    /// Limits a batch must respect whatever the budget: BLAS takes the batch as a 32-bit size,
    /// and max pooling indexes its whole batch with Int32. `batch` is what buffers are sized
    /// for, `requested` the preset's batch size (evaluation uses larger batches).
    public func checkBatch(_ batch: Int, requested: Int) throws(EngineError) {
        guard batch <= Self.int32Limit else {
            throw .invalidValue(field: "training.batch_size", message: "\(batch) is more than \(Self.int32Limit), the largest batch the BLAS library's 32-bit sizes allow")
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
