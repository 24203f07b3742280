/// Max pooling over [C, H, W]; remembers the winning index of each window for backward.
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
        // Locals, not stored properties, in the loop: class property access costs an exclusivity check.
        let y = output.pointer, plane = height * width, argmax = self.argmax
        let size = self.size, stride = self.stride, width = self.width
        var o = 0
        for bc in 0..<(batch * channels) {
            let src = x + bc * plane, base = Int32(bc * plane)
            for oh in 0..<outHeight {
                for ow in 0..<outWidth {
                    var bestIndex = (oh * stride) * width + ow * stride
                    var best = src[bestIndex]
                    for i in 0..<size {
                        let row = (oh * stride + i) * width + ow * stride
                        for j in 0..<size {
                            // Selects, not branches: on real activations the winner is unpredictable.
                            // A NaN in the first place stays, so divergence still shows downstream.
                            let v = src[row + j], wins = v > best
                            best = wins ? v : best
                            bestIndex = wins ? row + j : bestIndex
                        }
                    }
                    y[o] = best
                    argmax[o] = base + Int32(bestIndex)
                    o += 1
                }
            }
        }
        return UnsafePointer(y)
    }

    public func backward(_ dy: UnsafePointer<Float>, batch: Int, needInputGradient: Bool, accumulate: Bool) -> UnsafePointer<Float> {
        let dx = inputGrad.pointer, n = batch * outputShape.count, argmax = self.argmax
        dx.update(repeating: 0, count: batch * inputShape.count)
        for o in 0..<n { dx[Int(argmax[o])] += dy[o] }
        return UnsafePointer(dx)
    }
}
