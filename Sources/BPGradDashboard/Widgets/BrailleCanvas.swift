/// A bit grid of 2x4 dots per cell, drawn as Unicode braille (U+2800 + bits).
///
/// Coordinates are in dots, (0, 0) at the top left. Dots outside the canvas are ignored.
/// A cell has one colour, so dots come in layers: a dot on a higher layer clears the cell's
/// lower-layer dots (a line wipes the noise band from the cells it passes through), a dot on
/// a lower layer is not drawn, and on the same layer the last colour wins.
public struct BrailleCanvas: Sendable {
    public let columns: Int, rows: Int
    private var bits: [UInt8]
    private var styles: [Style?]
    private var layers: [UInt8]

    public init(columns: Int, rows: Int) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        bits = Array(repeating: 0, count: self.columns * self.rows)
        styles = Array(repeating: nil, count: self.columns * self.rows)
        layers = Array(repeating: 0, count: self.columns * self.rows)
    }

    public var dotWidth: Int { columns * 2 }
    public var dotHeight: Int { rows * 4 }

    /// Bit of the dot at (column in cell 0...1, row in cell 0...3).
    static let bit: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    public mutating func dot(_ x: Int, _ y: Int, _ style: Style, layer: UInt8 = 0) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        let i = (y / 4) * columns + x / 2
        if bits[i] != 0 {
            if layer < layers[i] { return }
            if layer > layers[i] { bits[i] = 0 }
        }
        layers[i] = layer
        bits[i] |= Self.bit[x & 1][y & 3]
        styles[i] = style
    }

    /// A straight line between two dots (Bresenham).
    public mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ style: Style, layer: UInt8 = 0) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        // A line crossing the whole canvas many times over is clipped by `dot`; bound the walk anyway.
        var budget = 4 * (dotWidth + dotHeight) + dx - dy + 4
        while budget > 0 {
            dot(x, y, style, layer: layer)
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
            budget -= 1
        }
    }

    public func character(column: Int, row: Int) -> Character? {
        let b = bits[row * columns + column]
        guard b != 0, let scalar = Unicode.Scalar(0x2800 + UInt32(b)) else { return nil }
        return Character(scalar)
    }

    /// Copies the dotted cells into the grid at `origin`; empty cells are left as they are.
    public func render(into grid: inout Grid, x originX: Int, y originY: Int) {
        for r in 0..<rows {
            for c in 0..<columns {
                guard let ch = character(column: c, row: r) else { continue }
                grid.set(originX + c, originY + r, ch, styles[r * columns + c] ?? .plain)
            }
        }
    }
}
