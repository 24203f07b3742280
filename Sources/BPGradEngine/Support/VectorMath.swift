import CBLAS

/// Reductions over flat Float32 buffers. Sums accumulate in Double so that a global
/// norm over a million parameters is as exact as the Float32 inputs allow.
public enum VectorMath {
    /// Sum of x_i^2: 16-wide Float partial sums over blocks of 1024, added up in Double.
    public static func sumOfSquares(_ x: UnsafePointer<Float>, _ n: Int) -> Double {
        var total = 0.0, i = 0
        let raw = UnsafeRawPointer(x)
        while i + 16 <= n {
            var acc = SIMD16<Float>()
            let end = min(n, i + 1024)
            while i + 16 <= end {
                let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
                acc += v * v
                i += 16
            }
            total += Double(acc.sum())
        }
        while i < n { total += Double(x[i]) * Double(x[i]); i += 1 }
        return total
    }

    public static func norm(_ x: UnsafePointer<Float>, _ n: Int) -> Double {
        sumOfSquares(x, n).squareRoot()
    }

}

/// Row-major single-precision GEMM: C = alpha * op(A) * op(B) + beta * C.
/// Every matrix product in the engine goes through here to OpenBLAS.
@inline(__always)
func gemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    guard m > 0, n > 0 else { return }
    if k == 0 {
        if beta == 0 { for r in 0..<m { (c + r * ldc).update(repeating: 0, count: n) } }
        return
    }
    cblas_sgemm(CblasRowMajor,
                transA ? CblasTrans : CblasNoTrans,
                transB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// Sets how many threads OpenBLAS may use (1 when several solvers train side by side).
public func setBLASThreads(_ n: Int) {
    openblas_set_num_threads(Int32(max(1, n)))
}
