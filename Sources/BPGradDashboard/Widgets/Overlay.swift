/// A centred box drawn over whatever is below it, with a title and lines of text.
public struct Overlay: Sendable {
    public var title: String
    /// Each line with its style.
    public var lines: [(text: String, style: Style)]
    public var width: Int

    public init(title: String, lines: [(text: String, style: Style)], width: Int) {
        self.title = title; self.lines = lines; self.width = width
    }

    public func render(into grid: inout Grid, area: Rect) {
        let box = area.centered(width: width + 4, height: lines.count + 2)
        guard box.width >= 4, box.height >= 3 else { return }
        grid.fill(box)
        grid.box(box, style: Style(fg: Palette.accent))
        grid.write(" \(title) ", x: box.x + 2, y: box.y, style: Style(fg: Palette.accent, bold: true), maxWidth: box.width - 4)
        for (i, line) in lines.enumerated() where i < box.height - 2 {
            grid.write(line.text, x: box.x + 2, y: box.y + 1 + i, style: line.style, maxWidth: box.width - 4)
        }
    }
}
