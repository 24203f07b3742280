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
