/// The shape of one sample as it flows between layers: `[features]` or `[channels, height, width]`.
public struct Shape: Hashable, Sendable, CustomStringConvertible {
    public var dims: [Int]

    public init(_ dims: [Int]) { self.dims = dims }

    public var count: Int { dims.reduce(1, *) }
    public var rank: Int { dims.count }
    public var description: String { dims.map(String.init).joined(separator: "x") }
}
