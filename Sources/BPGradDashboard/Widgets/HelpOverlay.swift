/// The key list, wrapped to the screen: one column when it fits, two when it must.
public struct HelpOverlay: Sendable {
    public var title: String
    public var entries: [(key: String, action: String)]

    public init(title: String, entries: [(key: String, action: String)]) {
        self.title = title
        self.entries = entries
    }

    static let keyWidth = 11

    /// The entries as lines for a column `width` wide: key, then the action wrapped under itself.
    static func lines(_ entries: [(key: String, action: String)], width: Int) -> [String] {
        entries.flatMap { e -> [String] in
            let parts = TextWrap.wrap(e.action, width: max(1, width - keyWidth - 1))
            return parts.enumerated().map { i, p in
                (i == 0 ? e.key : "").padding(toLength: keyWidth, withPad: " ", startingAt: 0) + " " + p
            }
        }
    }

    public func render(into grid: inout Grid, area: Rect) {
        let maxInner = min(area.width - 4, 110), maxRows = area.height - 2
        guard maxInner >= 20, maxRows >= 3 else { return }
        var columns = [Self.lines(entries, width: min(maxInner, 66))]
        if columns[0].count > maxRows {
            // Two columns, split where their line counts balance.
            let w = (maxInner - 3) / 2
            let all = entries.map { Self.lines([$0], width: w).count }
            let total = all.reduce(0, +)
            var split = 0, running = 0
            while split < entries.count, running + all[split] <= (total + 1) / 2 { running += all[split]; split += 1 }
            columns = [Self.lines(Array(entries.prefix(split)), width: w), Self.lines(Array(entries.dropFirst(split)), width: w)]
        }
        let colWidth = columns.map { $0.map(\.count).max() ?? 0 }.max() ?? 0
        let width = columns.count == 1 ? colWidth : 2 * colWidth + 3
        let height = min(maxRows, columns.map(\.count).max() ?? 0)
        let box = area.centered(width: width + 4, height: height + 2)
        grid.fill(box)
        grid.box(box, style: Style(fg: Palette.accent))
        grid.write(" \(title) ", x: box.x + 2, y: box.y, style: Style(fg: Palette.accent, bold: true), maxWidth: box.width - 4)
        for (c, lines) in columns.enumerated() {
            let x = box.x + 2 + c * (colWidth + 3)
            for (row, line) in lines.prefix(height).enumerated() {
                grid.write(String(line.prefix(Self.keyWidth)), x: x, y: box.y + 1 + row, style: Style(fg: Palette.accent, bold: true))
                grid.write(String(line.dropFirst(Self.keyWidth)), x: x + Self.keyWidth, y: box.y + 1 + row, maxWidth: colWidth - Self.keyWidth)
            }
        }
    }
}
