/// Eight Float32 lanes at a time for the solvers' elementwise updates.
///
/// The compiler does not vectorise loops that touch five buffers through raw pointers, so
/// the update rules are written once over `SIMD8<Float>`; the last partial group is padded
/// with zeros (harmless: no lane's result leaks into another) and only its real lanes stored.
typealias Lane = SIMD8<Float>

enum Lanes {
    @inline(__always)
    static func load(_ p: UnsafePointer<Float>, _ i: Int, _ count: Int) -> Lane {
        if count == 8 { return UnsafeRawPointer(p + i).loadUnaligned(as: Lane.self) }
        var v = Lane()
        for k in 0..<count { v[k] = p[i + k] }
        return v
    }

    @inline(__always)
    static func load(_ p: UnsafeMutablePointer<Float>, _ i: Int, _ count: Int) -> Lane {
        load(UnsafePointer(p), i, count)
    }

    @inline(__always)
    static func store(_ v: Lane, _ p: UnsafeMutablePointer<Float>, _ i: Int, _ count: Int) {
        if count == 8 { UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: Lane.self); return }
        for k in 0..<count { p[i + k] = v[k] }
    }

    /// Calls `body(i, count)` for each group of up to eight elements.
    @inline(__always)
    static func forEach(_ n: Int, _ body: (Int, Int) -> Void) {
        var i = 0
        while i < n {
            body(i, min(8, n - i))
            i += 8
        }
    }
}

extension Lanes {
    /// One fused pass of a solver update: for each group of lanes, `g = grad + weightDecay * x`,
    /// `d = body(i, count, g)`, then `x += d`. Returns ||g||^2 and ||d||^2 (16-wide Float partial
    /// sums per block of 1024, added up in Double). One pass instead of five keeps the update
    /// in cache: a network's buffers are larger than L2.
    @inline(__always)
    static func update(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ n: Int, weightDecay: Float,
                       _ body: (Int, Int, Lane) -> Lane) -> (gradSquared: Double, stepSquared: Double) {
        var gTotal = 0.0, dTotal = 0.0, i = 0
        while i < n {
            var gAcc = Lane(), dAcc = Lane()
            let end = min(n, i + 1024)
            while i < end {
                let c = min(8, end - i)
                let x = load(p, i, c)
                var gv = load(g, i, c)
                if weightDecay != 0 { gv += weightDecay * x }
                let d = body(i, c, gv)
                store(x + d, p, i, c)
                gAcc += gv * gv
                dAcc += d * d
                i += c
            }
            gTotal += Double(gAcc.sum()); dTotal += Double(dAcc.sum())
        }
        return (gTotal, dTotal)
    }

    /// ||grad + weightDecay * x||^2 without changing anything (BPGrad needs it before its update).
    static func normSquared(_ g: UnsafePointer<Float>, plus weightDecay: Float, times p: UnsafePointer<Float>, _ n: Int) -> Double {
        guard weightDecay != 0 else { return VectorMath.sumOfSquares(g, n) }
        var total = 0.0, i = 0
        while i < n {
            var acc = Lane()
            let end = min(n, i + 1024)
            while i < end {
                let c = min(8, end - i)
                let gv = load(g, i, c) + weightDecay * load(p, i, c)
                acc += gv * gv
                i += c
            }
            total += Double(acc.sum())
        }
        return total
    }
}
