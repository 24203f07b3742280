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
