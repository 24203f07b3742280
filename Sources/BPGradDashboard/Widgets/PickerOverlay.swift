import BPGradEngine

/// The preset picker: every preset with its description wrapped under its name, the
/// selection kept in view and the preset now running marked.
public struct PickerOverlay: Sendable {
    public var entries: [PresetLibrary.Entry]
    public var selection: Int
    public var current: String

    public init(entries: [PresetLibrary.Entry], selection: Int, current: String) {
        self.entries = entries; self.selection = selection; self.current = current
    }

    public func render(into grid: inout Grid, area: Rect) {
        let inner = min(area.width - 6, 96), maxRows = area.height - 2
        guard inner >= 20, maxRows >= 3 else { return }
        var lines = [SelectableList.Line]()
        for (i, e) in entries.enumerated() {
            let mark = e.name == current ? " (running)" : ""
            lines.append(.init(e.name + mark, Style(bold: true), selected: i == selection))
            for part in TextWrap.wrap(e.description, width: inner - 2) { lines.append(.init("  " + part, Style(fg: Palette.muted))) }
        }
        let height = min(maxRows, lines.count + 2)
        let box = area.centered(width: inner + 2, height: height)
        grid.fill(box)
        let list = SelectableList(title: "presets: ↑↓ choose · Enter loads · Esc closes", lines: lines)
        list.render(into: &grid, area: box)
        grid.box(box, style: Style(fg: Palette.accent))
        grid.write(" \(list.title) ", x: box.x + 1, y: box.y, style: Style(fg: Palette.accent, bold: true), maxWidth: box.width - 2)
    }
}
