/// A layer's option values, by option name: what `LayerSpec` carries and a definition reads.
/// The decoder fills every option its definition declares (defaults included), so a
/// definition reading its own declared options always finds them.
public struct LayerOptions: Sendable, Hashable {
    public var counts: [String: Int]
    public var reals: [String: Double]

    public init(counts: [String: Int] = [:], reals: [String: Double] = [:]) {
        self.counts = counts
        self.reals = reals
    }

    /// A whole-number option (0 when absent, which only a definition's own typo could cause:
    /// its gradient test builds it through its spec).
    public func count(_ name: String) -> Int { counts[name] ?? 0 }

    public func real(_ name: String) -> Double { reals[name] ?? 0 }
}
