/// Loops shared by every solver: L2 weight decay folded into the gradient, and the
/// bookkeeping of how far a step actually moved the parameters.
enum SolverKernels {
    /// g += wd * p (PyTorch's coupled weight decay).
    @inline(__always)
    static func addWeightDecay(_ g: UnsafeMutablePointer<Float>, _ p: UnsafePointer<Float>, _ n: Int, _ wd: Double) {
        guard wd != 0 else { return }
        let w = Float(wd)
        for i in 0..<n { g[i] += w * p[i] }
    }

    /// Lazily (re)creates a state buffer of the right size.
    static func state(_ buffer: inout FloatBuffer?, count: Int, fill: Float = 0) -> UnsafeMutablePointer<Float> {
        if buffer == nil || buffer!.count != count {
            let b = FloatBuffer(count: count)
            if fill != 0 { b.pointer.update(repeating: fill, count: count) }
            buffer = b
        }
        return buffer!.pointer
    }
}

extension SolverKernels {
    /// x += delta, returning ||delta||_2, the step actually taken. Solvers write their update
    /// into `delta` first so that their own loop stays simple enough to vectorise.
    static func apply(_ delta: UnsafePointer<Float>, to p: UnsafeMutablePointer<Float>, _ n: Int) -> Double {
        for i in 0..<n { p[i] += delta[i] }
        return VectorMath.norm(delta, n)
    }
}
