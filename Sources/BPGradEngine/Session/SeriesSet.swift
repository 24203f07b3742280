/// Every `Series` of one configuration, in a fixed array indexed by the series: recording a
/// step touches a dozen series, and a dictionary's hashing was most of that cost.
public struct SeriesSet: Sendable {
    private var storage: [DecimatedSeries]

    public init() { storage = Series.allCases.map { _ in DecimatedSeries() } }

    public subscript(_ s: Series) -> DecimatedSeries? {
        get { storage[s.index] }
        set { if let newValue { storage[s.index] = newValue } }
    }

    /// Appends in place (no copy of the series' storage).
    @inline(__always)
    mutating func append(_ s: Series, x: Double, y: Double) { storage[s.index].append(x: x, y: y) }
}
