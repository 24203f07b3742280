import CKernels

/// 2-D convolution over [C, H, W] samples.
///
/// Two backends compute the same thing. `oneDNN` (the default) runs oneDNN's JIT direct
/// convolution primitives (forward with bias, backward data, backward weights with bias), one
/// set per batch size, on the blocked layouts they prefer (see CKernels/Convolution.c). `im2col`
/// lays the batch's patches out as a [C*k*k, B*OH*OW] matrix, in cache-sized blocks, so that
/// forward, the weight gradient and the input gradient are each a GEMM; it is the fallback when
/// oneDNN refuses a shape, and the gradient checks run both.
public final class Conv2D: Layer {
    public enum Backend: Sendable { case oneDNN, im2col }

    public let kind = "conv2d"
    public let inputShape: Shape
    public let outputShape: Shape
    public let backend: Backend
    let channels: Int, height: Int, width: Int
    let filters: Int, kernel: Int, stride: Int, padding: Int
    let outHeight: Int, outWidth: Int
    private var affine: AffineParameters
    private var columns = FloatBuffer(count: 0), product = FloatBuffer(count: 0)
    private var output = FloatBuffer(count: 0), inputGrad = FloatBuffer(count: 0)
    private var batch = 0
    /// oneDNN primitives by batch size (a training batch, the epoch's last, evaluation's), and
    /// the sizes oneDNN refused, which take the im2col path.
    private var primitives: [Int: OpaquePointer] = [:], refused: Set<Int> = []

    /// Fails when the kernel does not fit the padded input.
    /// `blockBudget` is the most floats one block's patch matrix may hold (tests make it tiny
    /// to run several blocks).
    public init?(input: Shape, filters: Int, kernel: Int, stride: Int, padding: Int, blockBudget: Int = 1 << 17,
                 backend: Backend = .oneDNN) {
        self.blockBudget = blockBudget
        self.backend = backend
        guard input.rank == 3, filters > 0, kernel > 0, stride > 0, padding >= 0 else { return nil }
        channels = input.dims[0]; height = input.dims[1]; width = input.dims[2]
        let oh = (height + 2 * padding - kernel) / stride + 1
        let ow = (width + 2 * padding - kernel) / stride + 1
        guard height + 2 * padding >= kernel, width + 2 * padding >= kernel, oh > 0, ow > 0 else { return nil }
        self.filters = filters; self.kernel = kernel; self.stride = stride; self.padding = padding
        affine = AffineParameters(outputs: filters, fanIn: channels * kernel * kernel)
        outHeight = oh; outWidth = ow
        inputShape = input
        outputShape = Shape([filters, oh, ow])
    }

    var patchSize: Int { channels * kernel * kernel }
    var pixels: Int { outHeight * outWidth }
    public var parameterCount: Int { affine.count }
    public var forwardMACs: Int { filters * patchSize * pixels }

    public func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>) {
        affine.bind(parameters: parameters, gradients: gradients)
    }

    public func initialize(using rng: inout SeededGenerator) {
        affine.initialize(using: &rng)
    }

    /// Samples per im2col block: the patch matrix of a block stays within about 512 KB, so it
    /// is still in cache when the GEMMs read it. Materialising the whole batch at once (10 MB
    /// for LeNet's first layer) made the convolution memory-bound.
    let blockBudget: Int
    private var block: Int { max(1, min(batch, blockBudget / max(1, patchSize * pixels))) }
    private var lastInput: UnsafePointer<Float>?

    deinit { for p in primitives.values { bpg_conv_destroy(p) } }

    /// The oneDNN primitives for this batch size, made on first use; nil for im2col.
    private func primitive(batch: Int) -> OpaquePointer? {
        guard backend == .oneDNN, batch > 0, !refused.contains(batch) else { return nil }
        // One per batch size, kept: a run passes at most four (training, its last partial batch,
        // evaluation, its last partial batch), and the memory budget counts each of them.
        if let p = primitives[batch] { return p }
        var message = [CChar](repeating: 0, count: 256)
        guard let p = bpg_conv_create(batch, channels, height, width, filters, kernel, stride, padding, 1,
                                      &message, message.count) else {
            refused.insert(batch)
            if columns.count == 0 { reserveColumns() }
            return nil
        }
        primitives[batch] = p
        return p
    }

    /// The backend that runs batches of this size: im2col when oneDNN refused the shape (tests
    /// check that oneDNN really runs the shapes they mean it to).
    public func effectiveBackend(batch: Int) -> Backend { primitive(batch: batch) != nil ? .oneDNN : .im2col }

    private func reserveColumns() {
        columns = FloatBuffer(count: patchSize * block * pixels)
        product = FloatBuffer(count: filters * block * pixels)
    }

    public func reserve(batch: Int) {
        self.batch = batch
        if backend == .im2col || !refused.isEmpty { reserveColumns() }
        output = FloatBuffer(count: batch * outputShape.count)
        inputGrad = FloatBuffer(count: batch * inputShape.count)
    }

    public func forward(_ x: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float> {
        lastInput = x
        if let p = primitive(batch: batch) {
            GEMM.applyThreads()
            let status = bpg_conv_forward(p, x, affine.weight, affine.bias, output.pointer)
            precondition(status == 0, "conv2d: oneDNN forward failed with status \(status)")
            return UnsafePointer(output.pointer)
        }
        let cols = columns.pointer, t = product.pointer, y = output.pointer
        let inCount = inputShape.count, step = block
        for b0 in Swift.stride(from: 0, to: batch, by: step) {
            let n = min(step, batch - b0), bn = n * pixels
            im2col(x + b0 * inCount, batch: n, into: cols)
            gemm(transA: false, transB: false, m: filters, n: bn, k: patchSize,
                 a: affine.weight, lda: patchSize, b: cols, ldb: bn, beta: 0, c: t, ldc: bn)
            // [F, n, P] -> [n, F, P], adding the bias on the way.
            for b in 0..<n {
                for f in 0..<filters {
                    let src = t + f * bn + b * pixels, dst = y + ((b0 + b) * filters + f) * pixels, bf = affine.bias[f]
                    for p in 0..<pixels { dst[p] = src[p] + bf }
                }
            }
        }
        return UnsafePointer(y)
    }

    public func backward(_ dy: UnsafePointer<Float>, batch: Int, needInputGradient: Bool, accumulate: Bool) -> UnsafePointer<Float> {
        guard let x = lastInput else { preconditionFailure("conv2d: backward before forward") }
        if let p = primitive(batch: batch) {
            GEMM.applyThreads()
            let status = bpg_conv_backward(p, x, dy, affine.weight, affine.dWeight, affine.dBias, needInputGradient ? inputGrad.pointer : nil,
                                           accumulate ? 1 : 0)
            precondition(status == 0, "conv2d: oneDNN backward failed with status \(status)")
            return UnsafePointer(inputGrad.pointer)
        }
        let cols = columns.pointer, t = product.pointer
        let inCount = inputShape.count, step = block
        if !accumulate {
            // Overwrite: start from zero (the first block's product then writes with beta = 0).
            affine.dBias.update(repeating: 0, count: filters)
            if batch == 0 { affine.dWeight.update(repeating: 0, count: filters * patchSize) }
        }
        for b0 in Swift.stride(from: 0, to: batch, by: step) {
            let n = min(step, batch - b0), bn = n * pixels
            // The block's patches again: recomputing them in cache beats keeping the whole batch's.
            im2col(x + b0 * inCount, batch: n, into: cols)
            // [n, F, P] -> [F, n, P]; the bias gradient is the sum over samples and pixels.
            for b in 0..<n {
                for f in 0..<filters {
                    let src = dy + ((b0 + b) * filters + f) * pixels, dst = t + f * bn + b * pixels
                    var sum: Float = 0
                    for p in 0..<pixels { dst[p] = src[p]; sum += src[p] }
                    affine.dBias[f] += sum
                }
            }
            gemm(transA: false, transB: true, m: filters, n: patchSize, k: bn,
                 a: t, lda: bn, b: cols, ldb: bn, beta: accumulate || b0 > 0 ? 1 : 0, c: affine.dWeight, ldc: patchSize)
            if needInputGradient {
                gemm(transA: true, transB: false, m: patchSize, n: bn, k: filters,
                     a: affine.weight, lda: patchSize, b: t, ldb: bn, beta: 0, c: cols, ldc: bn)
                col2im(cols, batch: n, into: inputGrad.pointer + b0 * inCount)
            }
        }
        return UnsafePointer(inputGrad.pointer)
    }

    /// The output columns `ow` whose input column `ow * stride - padding + kj` lies inside the image.
    @inline(__always)
    private func validColumns(_ kj: Int) -> Range<Int> {
        let offset = kj - padding
        let lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride
        let hi = width - offset <= 0 ? 0 : min(outWidth, (width - 1 - offset) / stride + 1)
        return lo..<max(lo, hi)
    }

    private func im2col(_ x: UnsafePointer<Float>, batch: Int, into cols: UnsafeMutablePointer<Float>) {
        let bn = batch * pixels, plane = height * width
        for c in 0..<channels {
            for ki in 0..<kernel {
                for kj in 0..<kernel {
                    let rowBase = cols + ((c * kernel + ki) * kernel + kj) * bn
                    let valid = validColumns(kj), offset = kj - padding
                    for b in 0..<batch {
                        let src = x + (b * channels + c) * plane
                        var dst = rowBase + b * pixels
                        for oh in 0..<outHeight {
                            let ih = oh * stride - padding + ki
                            if ih < 0 || ih >= height || valid.isEmpty {
                                dst.update(repeating: 0, count: outWidth)
                            } else {
                                let line = src + ih * width + offset
                                if valid.lowerBound > 0 { dst.update(repeating: 0, count: valid.lowerBound) }
                                if stride == 1 {
                                    (dst + valid.lowerBound).update(from: line + valid.lowerBound, count: valid.count)
                                } else {
                                    for ow in valid { dst[ow] = line[ow * stride] }
                                }
                                if valid.upperBound < outWidth { (dst + valid.upperBound).update(repeating: 0, count: outWidth - valid.upperBound) }
                            }
                            dst += outWidth
                        }
                    }
                }
            }
        }
    }

    private func col2im(_ cols: UnsafePointer<Float>, batch: Int, into dx: UnsafeMutablePointer<Float>) {
        let bn = batch * pixels, plane = height * width
        dx.update(repeating: 0, count: batch * inputShape.count)
        for c in 0..<channels {
            for ki in 0..<kernel {
                for kj in 0..<kernel {
                    let rowBase = cols + ((c * kernel + ki) * kernel + kj) * bn
                    let valid = validColumns(kj), offset = kj - padding
                    guard !valid.isEmpty else { continue }
                    for b in 0..<batch {
                        let dst = dx + (b * channels + c) * plane
                        var src = rowBase + b * pixels
                        for oh in 0..<outHeight {
                            let ih = oh * stride - padding + ki
                            if ih >= 0 && ih < height {
                                let line = dst + ih * width + offset
                                if stride == 1 {
                                    for ow in valid { line[ow] += src[ow] }
                                } else {
                                    for ow in valid { line[ow * stride] += src[ow] }
                                }
                            }
                            src += outWidth
                        }
                    }
                }
            }
        }
    }
}

extension Conv2D {
    public static let definition = LayerDefinition(
        name: "conv2d",
        options: [.count("filters"), .count("kernel"), .count("stride", default: .count(1)), .count("padding", min: 0, default: .count(0))],
        describe: { o in
            let (f, k, s, p) = (o.count("filters"), o.count("kernel"), o.count("stride"), o.count("padding"))
            return "conv2d(\(f)@\(k)x\(k)" + (s != 1 ? " s\(s)" : "") + (p != 0 ? " p\(p)" : "") + ")"
        },
        plan: { o, p throws(EngineError) in
            let (filters, kernel, stride, padding) = (o.count("filters"), o.count("kernel"), o.count("stride"), o.count("padding"))
            try p.requireImage()
            guard filters > 0, kernel > 0, stride > 0, padding >= 0 else {
                throw p.fail("filters, kernel and stride must be positive and padding non-negative")
            }
            let (c, h, w) = (p.input.dims[0], p.input.dims[1], p.input.dims[2])
            guard let twice = CheckedSize.product(2, padding), let ph = CheckedSize.sum(h, twice), let pw = CheckedSize.sum(w, twice) else {
                throw p.fail("padding \(padding) overflows a 64-bit size")
            }
            guard kernel <= ph, kernel <= pw else {
                throw p.fail("a \(kernel)x\(kernel) kernel with stride \(stride) and padding \(padding) does not fit the input \(p.input)")
            }
            let oh = (ph - kernel) / stride + 1, ow = (pw - kernel) / stride + 1
            _ = try p.within32(filters, "the number of filters")
            let patch = try p.within32(CheckedSize.product(c, kernel, kernel), "the patch size (channels x kernel x kernel)")
            let pixels = try p.within32(CheckedSize.product(oh, ow), "the output size \(oh)x\(ow)")
            let outCount = try p.within32(CheckedSize.product(filters, pixels), "the output size \(filters)x\(oh)x\(ow)")
            guard let weights = CheckedSize.product(filters, patch), let parameters = CheckedSize.sum(weights, filters) else {
                throw p.fail("\(filters) filters of \(patch) weights overflow a 64-bit size")
            }
            var s = p.stage(Shape([filters, oh, ow]), parameters: parameters, floats: outCount + p.inputCount)
            s.patchSize = patch; s.pixels = pixels; s.filters = filters
            s.backendBytes = { n in Conv2D.planBytes(batch: n, channels: c, height: h, width: w, filters: filters, kernel: kernel,
                                                     stride: stride, padding: padding) }
            return s
        },
        make: { o, input, _ in
            Conv2D(input: input, filters: o.count("filters"), kernel: o.count("kernel"), stride: o.count("stride"), padding: o.count("padding"))
        })
}

extension Conv2D {
    private struct PlanKey: Hashable { var batch, channels, height, width, filters, kernel, stride, padding: Int }
    /// Worked out once per shape: every memory check (a session, each fork) asks again, and a
    /// oneDNN engine and three primitive descriptors per layer are not free.
    private static let planned = Locked<[PlanKey: Int]>([:])

    /// What oneDNN keeps for this convolution at batches of `batch` samples besides its plain
    /// arguments (`bpg_conv_plan_bytes`); 0 when oneDNN refuses the shape, which then runs
    /// im2col on buffers the plan counts anyway.
    static func planBytes(batch: Int, channels: Int, height: Int, width: Int, filters: Int, kernel: Int, stride: Int, padding: Int) -> Int {
        let key = PlanKey(batch: batch, channels: channels, height: height, width: width, filters: filters, kernel: kernel, stride: stride, padding: padding)
        if let known = planned.withLock({ $0[key] }) { return known }
        let bytes = max(0, bpg_conv_plan_bytes(batch, channels, height, width, filters, kernel, stride, padding, 1))
        planned.withLock { $0[key] = bytes }
        return bytes
    }
}

extension LayerSpec {
    public static func conv2d(filters: Int, kernel: Int, stride: Int, padding: Int) -> LayerSpec {
        LayerSpec(Conv2D.definition, LayerOptions(counts: ["filters": filters, "kernel": kernel, "stride": stride, "padding": padding]))
    }
}
