import BPGradEngine

/// Every solver's live hyperparameters, the selected one highlighted (or being edited).
struct ParameterPanel {
    let snapshot: SessionSnapshot
    let selected: Int
    let editor: DashboardState.Editor?

    static func text(_ v: HyperValue) -> String {
        if case .number(let x) = v { return NumberFormat.compact(x) }
        return v.description
    }

    func render(into grid: inout Grid, area: Rect) {
        guard area.width >= 6, area.height >= 3 else { return }
        grid.box(area)
        grid.write(" parameters ", x: area.x + 1, y: area.y, style: Style(bold: true), maxWidth: area.width - 2)
        let inner = area.inset(1)
        var lines = [(text: String, style: Style, selected: Bool)]()
        var selectedLine = 0, slot = 0
        for m in snapshot.solvers {
            lines.append((m.displayName, Style(fg: Palette.color(forSolver: m.kind), bold: true), false))
            for info in m.hyper.schema {
                let isSelected = slot == selected
                let value = isSelected && editor != nil ? "[\(editor!.text)▏]" : (m.hyper[info.name].map(Self.text) ?? "")
                let nameWidth = max(1, inner.width - 2 - max(value.count, 8) - 1)
                let name = String(info.name.prefix(nameWidth)).padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                if isSelected { selectedLine = lines.count }
                lines.append(("  " + name + " " + value, .plain, isSelected))
                if isSelected, let error = editor?.error {
                    lines.append(("  ! " + error, Style(fg: Palette.danger), false))
                }
                slot += 1
            }
        }
        // Scroll so the selection stays in view.
        let first = max(0, min(selectedLine - inner.height / 2, lines.count - inner.height))
        for (row, line) in lines.dropFirst(first).prefix(inner.height).enumerated() {
            let style = line.selected ? Style(fg: Palette.accent, bold: true, reverse: true) : line.style
            let text = line.text.padding(toLength: inner.width, withPad: " ", startingAt: 0)
            grid.write(text, x: inner.x, y: inner.y + row, style: line.selected ? style : .plain, maxWidth: inner.width)
            if !line.selected { grid.write(line.text, x: inner.x, y: inner.y + row, style: style, maxWidth: inner.width) }
        }
    }
}
