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

/// Accumulates ||x_{t+1} - x_t||^2 while an update loop writes the new parameters.
struct StepNormAccumulator {
    private var s0 = 0.0, s1 = 0.0

    @inline(__always)
    mutating func add(old: Float, new: Float, index: Int) {
        let d = Double(new - old)
        if index & 1 == 0 { s0 += d * d } else { s1 += d * d }
    }

    var norm: Double { (s0 + s1).squareRoot() }
}
