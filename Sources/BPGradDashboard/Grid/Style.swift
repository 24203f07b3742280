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

    public func fg(_ c: Color) -> Style { var s = self; s.fg = c; return s }
    public var bolded: Style { var s = self; s.bold = true; return s }
    public var dimmed: Style { var s = self; s.dim = true; return s }
    public var reversed: Style { var s = self; s.reverse = true; return s }
}
