/// Branch and pruning's grid at one moment: whether each cell's lower bound is above f*. What
/// the landscape's heatmap shades, and what "no unpruned grid cell left" counts.
public struct PrunedGrid: Sendable {
    public let domain: TestFunction.Domain
    public let size: Int
    private let pruned: [Bool]

    init(domain: TestFunction.Domain, size: Int, pruned: [Bool]) {
        self.domain = domain; self.size = size; self.pruned = pruned
    }

    /// Whether the grid cell nearest to `p` is pruned; false outside the domain.
    public func contains(_ p: SIMD2<Double>) -> Bool {
        // Outside first: a non-finite or huge coordinate would trap in the conversion to Int.
        guard size > 1, p.x.isFinite, p.y.isFinite, domain.contains(p) else { return false }
        let i = Int(((p.x - domain.x.lowerBound) / (domain.x.upperBound - domain.x.lowerBound) * Double(size - 1)).rounded())
        let j = Int(((p.y - domain.y.lowerBound) / (domain.y.upperBound - domain.y.lowerBound) * Double(size - 1)).rounded())
        guard i >= 0, j >= 0, i < size, j < size else { return false }
        return pruned[j * size + i]
    }
}
