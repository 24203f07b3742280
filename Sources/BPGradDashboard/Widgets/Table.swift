/// A table with a bold header row; columns that do not fit the width are dropped from the right.
public struct Table: Sendable {
    public struct Column: Sendable {
        public var title: String
        public var width: Int
        public var rightAligned: Bool
        public init(_ title: String, width: Int, rightAligned: Bool = true) {
            self.title = title; self.width = width; self.rightAligned = rightAligned
        }
    }

    public var columns: [Column]
    /// Each row: its cells and the style of the first two cells (the rest are plain).
    public var rows: [(cells: [String], style: Style)]

    public init(columns: [Column], rows: [(cells: [String], style: Style)]) {
        self.columns = columns
        self.rows = rows
    }

    public func render(into grid: inout Grid, area: Rect) {
        guard !area.isEmpty else { return }
        var fitted = [(index: Int, x: Int)]()
        var x = area.x
        for (i, c) in columns.enumerated() {
            guard x + c.width <= area.maxX else { break }
            fitted.append((i, x))
            x += c.width + 1
        }
        func put(_ text: String, _ col: Int, _ cx: Int, _ y: Int, _ style: Style) {
            let w = columns[col].width
            let t = String(text.prefix(w))
            let padded = columns[col].rightAligned ? String(repeating: " ", count: w - t.count) + t : t
            grid.write(padded, x: cx, y: y, style: style, maxWidth: w)
        }
        for (i, cx) in fitted { put(columns[i].title, i, cx, area.y, Style(bold: true)) }
        for (r, row) in rows.enumerated() where r + 1 < area.height {
            for (i, cx) in fitted { put(row.cells[safe: i] ?? "", i, cx, area.y + 1 + r, i < 2 ? row.style : .plain) }
        }
    }
}
