/// A boxed list of lines with one selected line kept in view: the parameter panels of the
/// dashboard and the landscape view both use it.
public struct SelectableList: Sendable {
    public struct Line: Sendable {
        public var text: String
        public var style: Style
        public var selected: Bool

        public init(_ text: String, _ style: Style = .plain, selected: Bool = false) {
            self.text = text; self.style = style; self.selected = selected
        }
    }

    public var title: String
    public var lines: [Line]
    /// Lines pinned under the list (not scrolled), e.g. recent changes.
    public var footer: [Line]

    public init(title: String, lines: [Line], footer: [Line] = []) {
        self.title = title; self.lines = lines; self.footer = footer
    }

    public static let selectedStyle = Style(fg: Palette.accent, bold: true, reverse: true)

    public func render(into grid: inout Grid, area: Rect) {
        guard area.width >= 4, area.height >= 3 else { return }
        grid.box(area)
        grid.write(" \(title) ", x: area.x + 1, y: area.y, style: Style(bold: true), maxWidth: area.width - 2)
        let inner = area.inset(1)
        let pinned = inner.height >= footer.count + 4 ? footer : []
        let (listArea, footArea) = inner.splitBottom(pinned.count)
        // Scroll so the selection stays in view, about in the middle.
        let selectedLine = lines.firstIndex { $0.selected } ?? 0
        let first = max(0, min(selectedLine - listArea.height / 2, lines.count - listArea.height))
        for (row, line) in lines.dropFirst(first).prefix(listArea.height).enumerated() {
            let text = line.selected ? line.text.padding(toLength: max(line.text.count, listArea.width), withPad: " ", startingAt: 0) : line.text
            grid.write(text, x: listArea.x, y: listArea.y + row, style: line.selected ? Self.selectedStyle : line.style, maxWidth: listArea.width)
        }
        if first > 0 { grid.write("▲", x: listArea.maxX - 1, y: listArea.y, style: Style(fg: Palette.muted)) }
        if first + listArea.height < lines.count { grid.write("▼", x: listArea.maxX - 1, y: listArea.maxY - 1, style: Style(fg: Palette.muted)) }
        for (row, line) in pinned.enumerated() {
            grid.write(line.text, x: footArea.x, y: footArea.y + row, style: line.style, maxWidth: footArea.width)
        }
    }
}
