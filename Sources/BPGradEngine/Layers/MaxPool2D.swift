import CKernels

/// Max pooling over [C, H, W]; remembers the winning index of each window for backward
/// (the loops are in CKernels: the first value wins ties, and a NaN only where it comes first).
public final class MaxPool2D: Layer {
    public let kind = "maxpool2d"
    public let inputShape: Shape
    public let outputShape: Shape
    let channels: Int, height: Int, width: Int, size: Int, stride: Int, outHeight: Int, outWidth: Int
    private var output = FloatBuffer(count: 0), inputGrad = FloatBuffer(count: 0)
    private var argmax: UnsafeMutablePointer<Int32> = .allocate(capacity: 1)

    public init?(input: Shape, size: Int, stride: Int) {
        guard input.rank == 3, size > 0, stride > 0, input.dims[1] >= size, input.dims[2] >= size else { return nil }
        channels = input.dims[0]; height = input.dims[1]; width = input.dims[2]
        self.size = size; self.stride = stride
        outHeight = (height - size) / stride + 1
        outWidth = (width - size) / stride + 1
        inputShape = input
        outputShape = Shape([channels, outHeight, outWidth])
    }

    deinit { argmax.deallocate() }

    public func reserve(batch: Int) {
        output = FloatBuffer(count: batch * outputShape.count)
        inputGrad = FloatBuffer(count: batch * inputShape.count)
        argmax.deallocate()
        argmax = .allocate(capacity: max(1, batch * outputShape.count))
    }

    public func forward(_ x: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float> {
        bpg_maxpool_forward(x, output.pointer, argmax, batch * channels, height, width, size, stride, outHeight, outWidth)
        return UnsafePointer(output.pointer)
    }

    public func backward(_ dy: UnsafePointer<Float>, batch: Int, needInputGradient: Bool, accumulate: Bool) -> UnsafePointer<Float> {
        bpg_maxpool_backward(dy, argmax, inputGrad.pointer, batch * outputShape.count, batch * inputShape.count)
        return UnsafePointer(inputGrad.pointer)
    }
}

extension MaxPool2D {
    public static let definition = LayerDefinition(
        name: "maxpool2d", options: [.count("size", default: .count(2)), .count("stride", default: .sameAs("size"))],
        describe: { o in
            let (k, s) = (o.count("size"), o.count("stride"))
            return "maxpool2d(\(k)" + (s != k ? " s\(s)" : "") + ")"
        },
        plan: { o, p throws(EngineError) in
            let (size, stride) = (o.count("size"), o.count("stride"))
            try p.requireImage()
            guard size > 0, stride > 0, p.input.dims[1] >= size, p.input.dims[2] >= size else {
                throw p.fail("a \(size)x\(size) window with stride \(stride) does not fit the input \(p.input)")
            }
            let out = Shape([p.input.dims[0], (p.input.dims[1] - size) / stride + 1, (p.input.dims[2] - size) / stride + 1])
            let outCount = out.dims.reduce(1, *)  // at most the input's count
            return p.stage(out, floats: outCount + p.inputCount, indices: outCount)
        },
        make: { o, input, _ in MaxPool2D(input: input, size: o.count("size"), stride: o.count("stride")) })
}

extension LayerSpec {
    public static func maxpool2d(size: Int, stride: Int) -> LayerSpec {
        LayerSpec(MaxPool2D.definition, LayerOptions(counts: ["size": size, "stride": stride]))
    }
}
