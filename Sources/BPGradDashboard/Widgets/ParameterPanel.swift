import BPGradEngine

/// Every configuration's live hyperparameters, one block each, the selected one highlighted
/// (or being edited), with the newest changes pinned underneath.
struct ParameterPanel: Widget {
    let snapshot: SessionSnapshot
    let selected: Int
    let editor: DashboardState.Editor?
    let hidden: Set<String>
    let changes: [(text: String, color: Color)]
    var pending: [DashboardState.PendingValue] = []

    static func text(_ v: HyperValue) -> String {
        if case .number(let x) = v { return NumberText.compact(x) }
        return v.description
    }

    /// `name        value` in `width` columns, the value right of the name.
    static func row(_ name: String, _ value: String, width: Int) -> String {
        let nameWidth = max(1, width - 2 - max(value.count, 8) - 1)
        return "  " + String(name.prefix(nameWidth)).padding(toLength: nameWidth, withPad: " ", startingAt: 0) + " " + value
    }

    func render(into grid: inout Grid, area: Rect) {
        var lines = [SelectableList.Line](), slot = 0
        let width = area.width - 2
        // The labels share the panel's width with their number: fitted together, so that two
        // configurations of a sweep never read the same there either.
        let number = String(snapshot.configurations.count).count + 1
        let labels = LabelFit.fit(snapshot.configurations.map(\.label), width: max(1, width - number))
        for (i, m) in snapshot.configurations.enumerated() {
            let isHidden = hidden.contains(m.name)
            lines.append(.init("\(i + 1) \(labels[i])\(isHidden ? " (hidden)" : "")",
                               Style(fg: Palette.color(forConfiguration: i), bold: true, dim: isHidden)))
            for info in m.hyper.infos {
                let isSelected = slot == selected
                var value = isSelected && editor != nil ? (editor!.selected ? "[\(editor!.text)]" : "[\(editor!.text)▏]") : (m.hyper[info.key].map(Self.text) ?? "")
                // Sent to the writer, not confirmed yet: the value in force, then the one asked for.
                if let p = pending.last(where: { $0.slot == ParameterSlot(configuration: i, key: info.key) }) { value += "→\(Self.text(p.value))…" }
                lines.append(.init(Self.row(info.key.rawValue, value, width: width), .plain, selected: isSelected))
                if isSelected, let error = editor?.error {
                    for part in TextWrap.wrap("! " + error, width: max(1, width - 2)) { lines.append(.init("  " + part, Style(fg: Palette.danger))) }
                }
                slot += 1
            }
        }
        var footer = [SelectableList.Line]()
        if !changes.isEmpty {
            footer.append(.init("recent changes", Style(fg: Palette.muted, bold: true)))
            footer += changes.map { SelectableList.Line(" " + $0.text, Style(fg: $0.color)) }
        }
        SelectableList(title: "parameters", lines: lines, footer: footer).render(into: &grid, area: area)
    }
}
