/// How a cell is drawn: colours and attributes.
public struct Style: Hashable, Sendable {
    public var fg: Color
    public var bg: Color
    public var bold: Bool
    public var dim: Bool
    public var reverse: Bool

    public init(fg: Color = .reset, bg: Color = .reset, bold: Bool = false, dim: Bool = false, reverse: Bool = false) {
        self.fg = fg; self.bg = bg; self.bold = bold; self.dim = dim; self.reverse = reverse
    }

    public static let plain = Style()
}
