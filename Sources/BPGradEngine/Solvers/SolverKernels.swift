/// Bookkeeping shared by every solver; the arithmetic itself is in the C target CKernels
/// (one fused pass per solver, compiled for AVX-512, AVX2 and baseline x86-64).
enum SolverKernels {
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
