/// The screen as a plain value: a rectangle of cells that widgets draw into and a backend
/// blits. Writes outside the grid are ignored, never trapped on.
public struct Grid: Equatable, Sendable, CustomStringConvertible {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: fill, count: self.width * self.height)
    }

    /// A grid from lines of text (unstyled), padded with blanks: handy in tests.
    public init(lines: [String]) {
        let w = lines.map(\.count).max() ?? 0
        self.init(width: w, height: lines.count)
        for (y, line) in lines.enumerated() { write(line, x: 0, y: y) }
    }

    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { contains(x, y) ? cells[y * width + x] : .blank }
        set { if contains(x, y) { cells[y * width + x] = newValue } }
    }

    @inline(__always)
    public func contains(_ x: Int, _ y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

    public mutating func set(_ x: Int, _ y: Int, _ symbol: Character, _ style: Style = .plain) {
        guard contains(x, y) else { return }
        cells[y * width + x] = Cell(symbol, style)
    }


    /// Writes text from (x, y), clipped to `maxWidth` cells and to the grid. Returns the x after it.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int = .max) -> Int {
        var cx = x
        for ch in text {
            if cx - x >= maxWidth { break }
            set(cx, y, ch, style)
            cx += 1
        }
        return cx
    }

    public mutating func fill(_ rect: Rect, _ cell: Cell = .blank) {
        for y in rect.y..<rect.maxY { for x in rect.x..<rect.maxX { self[x, y] = cell } }
    }

    /// A box border around `rect` with an optional title in the top edge.
    public mutating func box(_ rect: Rect, style: Style = Style(fg: .basic(7), dim: true)) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        for x in rect.x + 1..<rect.maxX - 1 { set(x, rect.y, "─", style); set(x, rect.maxY - 1, "─", style) }
        for y in rect.y + 1..<rect.maxY - 1 { set(rect.x, y, "│", style); set(rect.maxX - 1, y, "│", style) }
        set(rect.x, rect.y, "╭", style); set(rect.maxX - 1, rect.y, "╮", style)
        set(rect.x, rect.maxY - 1, "╰", style); set(rect.maxX - 1, rect.maxY - 1, "╯", style)
    }

    /// The rows as text, trailing blanks trimmed: what a snapshot test compares.
    public var lines: [String] {
        (0..<height).map { y in
            var s = String(cells[(y * width)..<(y * width + width)].map(\.symbol))
            while s.last == " " { s.removeLast() }
            return s
        }
    }

    public var description: String { lines.joined(separator: "\n") }
}
