import CBLAS

/// Reductions over flat Float32 buffers. Sums accumulate in Double so that a global
/// norm over a million parameters is as exact as the Float32 inputs allow.
public enum VectorMath {
    public static func sumOfSquares(_ x: UnsafePointer<Float>, _ n: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = 0
        while i + 4 <= n {
            let a = Double(x[i]), b = Double(x[i + 1]), c = Double(x[i + 2]), d = Double(x[i + 3])
            s0 += a * a; s1 += b * b; s2 += c * c; s3 += d * d
            i += 4
        }
        while i < n { let a = Double(x[i]); s0 += a * a; i += 1 }
        return (s0 + s1) + (s2 + s3)
    }

    public static func norm(_ x: UnsafePointer<Float>, _ n: Int) -> Double {
        sumOfSquares(x, n).squareRoot()
    }

    /// True when every value is finite.
    public static func allFinite(_ x: UnsafePointer<Float>, _ n: Int) -> Bool {
        var acc: Float = 0
        for i in 0..<n { acc += x[i] * 0 }
        return acc == 0
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
