import BPGradEngine

/// The table under the charts: one row per configuration with its own step, status and
/// headline numbers. Fits 80 columns; rows that do not fit end in "+N more".
struct ConfigurationTable: Widget {
    let snapshot: SessionSnapshot
    let hidden: Set<String>

    static let columns = [Table.Column("#", width: 2), Table.Column("configuration", width: 14, rightAligned: false),
                          Table.Column("status", width: 10, rightAligned: false), Table.Column("step", width: 7),
                          Table.Column("loss", width: 7), Table.Column("acc", width: 6), Table.Column("eta / lr", width: 8),
                          Table.Column("‖g‖", width: 6), Table.Column("samples/s", width: 9)]

    static func status(_ s: SolverStatus) -> String {
        switch s {
        case .diverged(let step): "diverged@\(step)"
        case .error: "error"
        default: s.description
        }
    }

    /// The configuration column is as wide as the longest label, at least 14 and at most what
    /// the other columns leave of `width`; labels that still do not fit are shortened by
    /// `LabelFit`, so no two read the same.
    func table(width: Int = 80) -> Table {
        var columns = Self.columns
        let others = columns.enumerated().filter { $0.offset != 1 }.map { $0.element.width + 1 }.reduce(0, +)
        let longest = snapshot.configurations.map(\.label.count).max() ?? 0
        columns[1].width = max(14, min(longest, width - others))
        let labels = LabelFit.fit(snapshot.configurations.map(\.label), width: columns[1].width)
        let rows = snapshot.configurations.enumerated().map { i, m -> (cells: [String], style: Style) in
            let t = m.latest?.telemetry
            let rate = m.prunes ? t?.eta : t?.lr
            let cells = [String(i + 1), labels[i], Self.status(m.status), String(m.step), m.lossEMA.map(NumberText.compact) ?? "-",
                         NumberText.accuracy(m.bestTestAccuracy), rate.map(NumberText.compact) ?? "-",
                         t.map { NumberText.compact($0.gradNorm) } ?? "-", NumberText.compact(m.samplesPerSecond.rounded())]
            return (cells, Style(fg: Palette.color(forConfiguration: i), bold: true, dim: hidden.contains(m.name)))
        }
        return Table(columns: columns, rows: rows)
    }

    func render(into grid: inout Grid, area: Rect) {
        var t = table(width: area.width)
        let room = area.height - 1
        if t.rows.count > room, room >= 1 {
            let more = t.rows.count - room + 1
            t.rows = Array(t.rows.prefix(room - 1)) + [(["", "+\(more) more"], Style(fg: Palette.muted))]
        }
        t.render(into: &grid, area: area)
    }
}
