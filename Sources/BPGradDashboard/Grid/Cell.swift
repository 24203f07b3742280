/// One terminal cell: a single-width character and its style.
public struct Cell: Hashable, Sendable {
    public var symbol: Character
    public var style: Style

    public init(_ symbol: Character = " ", _ style: Style = .plain) {
        self.symbol = symbol
        self.style = style
    }

    public static let blank = Cell()
}
