import BPGradEngine
import Foundation

/// The whole screen as a function of the session snapshot, static info and UI state.
public struct DashboardView {
    public static let minimumWidth = 80, minimumHeight = 24

    public let snapshot: SessionSnapshot
    public let info: DashboardInfo
    public let state: DashboardState

    public init(snapshot: SessionSnapshot, info: DashboardInfo, state: DashboardState) {
        self.snapshot = snapshot
        self.info = info
        self.state = state
    }

    public func render(width: Int, height: Int) -> Grid {
        var grid = Grid(width: width, height: height)
        guard !Self.renderTooSmall(into: &grid) else { return grid }
        let (headerArea, rest) = grid.area.splitTop(2)
        let (body, footerArea) = rest.splitBottom(1)
        let tableHeight = min(snapshot.solvers.count + 1, max(2, body.height / 4))
        let (upper, tableArea) = body.splitBottom(tableHeight)
        let panelWidth = width >= 140 ? 34 : 28
        let (chartsArea, panelArea) = upper.splitRight(panelWidth)

        renderHeader(into: &grid, area: headerArea)
        if state.showBoundaries, let plane = info.plane {
            for (i, area) in chartsArea.columns(snapshot.solvers.count).enumerated() {
                BoundaryPanel(metrics: snapshot.solvers[i], plane: plane).render(into: &grid, area: area)
            }
        } else {
            let data = ChartData(snapshot: snapshot, info: info, state: state)
            let charts = [data.lossChart, data.stepChart, data.radiusChart, data.fourthChart]
            let rows = chartsArea.rows(2)
            for (i, chart) in charts.enumerated() {
                chart.render(into: &grid, area: rows[i / 2].columns(2)[i % 2])
            }
        }
        ParameterPanel(snapshot: snapshot, selected: state.selectedParameter, editor: state.editor).render(into: &grid, area: panelArea)
        solversTable.render(into: &grid, area: Rect(x: tableArea.x + 1, y: tableArea.y, width: tableArea.width - 1, height: tableArea.height))
        renderFooter(into: &grid, area: footerArea)

        if state.showHelp {
            Overlay(title: "keys", lines: HelpText.keys.map { (String($0.key.padding(toLength: 11, withPad: " ", startingAt: 0)) + $0.action, .plain) },
                    width: 64).render(into: &grid, area: grid.area)
        }
        if let picker = state.picker {
            let lines = picker.entries.enumerated().map { i, e in
                (text: "\(e.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(e.description)",
                 style: i == picker.selection ? Style(fg: Palette.accent, bold: true, reverse: true) : Style.plain)
            }
            Overlay(title: "presets: ↑↓ choose, Enter load, Esc close", lines: lines, width: min(width - 8, 96)).render(into: &grid, area: grid.area)
        }
        return grid
    }

    private var runState: String {
        if state.frozen != nil { return "frozen" }
        if snapshot.solvers.allSatisfy({ $0.status.isDone }) { return "finished" }
        if snapshot.solvers.contains(where: { $0.status == .paused }) || state.paused { return "paused" }
        return "running"
    }

    private func renderHeader(into grid: inout Grid, area: Rect) {
        var x = grid.write(" bpgrad-tui ", x: area.x, y: area.y, style: Style(fg: .black, bg: Palette.accent, bold: true))
        x = grid.write("  \(info.presetName)", x: x, y: area.y, style: Style(bold: true))
        x = grid.write("  data \(info.datasetName)", x: x, y: area.y, style: Style(fg: Palette.muted))
        grid.write("  net \(info.networkSummary) · \(info.parameterCount) params", x: x, y: area.y, style: Style(fg: Palette.muted),
                   maxWidth: area.maxX - x)
        let lead = snapshot.solvers.max { $0.step < $1.step }
        let stateStyle = Style(fg: runState == "running" ? .green : Palette.accent, bold: true)
        x = grid.write(" ● \(runState)", x: area.x, y: area.y + 1, style: stateStyle)
        let steps = lead.map { "  epoch \($0.epoch)  step \($0.step)/\($0.totalSteps)" } ?? ""
        x = grid.write(steps + "  \(NumberFormat.duration(snapshot.elapsedSeconds))", x: x, y: area.y + 1)
        for m in snapshot.solvers {
            x = grid.write("  \(m.displayName) ", x: x, y: area.y + 1, style: Style(fg: Palette.color(forSolver: m.kind)))
            x = grid.write("\(NumberFormat.compact(m.samplesPerSecond.rounded()))/s", x: x, y: area.y + 1, style: Style(fg: Palette.muted))
        }
        let view = "x \(state.xAxis.rawValue) · \(state.zoom.label) · smooth \(state.smoothing == 0 ? "off" : String(state.smoothing))\(state.logScale ? " · log" : "")"
        if area.maxX - x > view.count + 2 { grid.write(view, x: area.maxX - view.count - 1, y: area.y + 1, style: Style(fg: Palette.muted)) }
    }

    private var solversTable: Table {
        // Sized so that every column fits in 80 columns.
        let columns = [Table.Column("solver", width: 9, rightAligned: false), Table.Column("status", width: 14, rightAligned: false),
                       Table.Column("loss", width: 7), Table.Column("best acc", width: 8), Table.Column("eta / lr", width: 8),
                       Table.Column("r", width: 7), Table.Column("‖g‖", width: 7), Table.Column("samples/s", width: 9)]
        let rows = snapshot.solvers.map { m -> (cells: [String], style: Style) in
            let t = m.latest?.telemetry
            let rate = m.kind == BPGrad.kind ? t?.eta : t?.lr
            var statusText = m.status.description
            if case .diverged(let step) = m.status { statusText = "diverged @\(step)" }
            return ([m.displayName, statusText, m.lossEMA.map(NumberFormat.compact) ?? "-",
                     m.bestTestAccuracy.map { String(format: "%.4f", $0) } ?? "-", rate.map(NumberFormat.compact) ?? "-",
                     t?.radius.map(NumberFormat.compact) ?? "-", t.map { NumberFormat.compact($0.gradNorm) } ?? "-",
                     NumberFormat.compact(m.samplesPerSecond.rounded())],
                    Style(fg: Palette.color(forSolver: m.kind), bold: true))
        }
        return Table(columns: columns, rows: rows)
    }

    private func renderFooter(into grid: inout Grid, area: Rect) {
        if let message = state.message {
            grid.write(" " + message, x: area.x, y: area.y, style: Style(fg: Palette.accent), maxWidth: area.width)
        } else if let editor = state.editor {
            let text = editor.error.map { " \($0) · Esc cancels" } ?? " type a value · Enter applies · Esc cancels"
            grid.write(text, x: area.x, y: area.y, style: Style(fg: editor.error == nil ? Palette.accent : Palette.danger), maxWidth: area.width)
        } else {
            grid.write(" " + HelpText.footer, x: area.x, y: area.y, style: Style(fg: Palette.muted), maxWidth: area.width)
        }
    }

    /// Below 80x24, a centred message instead of the view; true when it drew it.
    public static func renderTooSmall(into grid: inout Grid) -> Bool {
        guard grid.width < minimumWidth || grid.height < minimumHeight else { return false }
        let msg = "terminal too small: need \(minimumWidth)x\(minimumHeight), have \(grid.width)x\(grid.height)"
        let lines = wrap(msg, width: max(1, grid.width))
        for (i, line) in lines.enumerated() {
            grid.write(line, x: max(0, (grid.width - line.count) / 2), y: max(0, (grid.height - lines.count) / 2) + i,
                       style: Style(fg: Palette.accent, bold: true))
        }
        return true
    }

    private static func wrap(_ text: String, width: Int) -> [String] {
        var lines = [String](), current = ""
        for word in text.split(separator: " ") {
            if current.isEmpty { current = String(word) } else if current.count + 1 + word.count <= width { current += " " + word } else {
                lines.append(current); current = String(word)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.map { String($0.prefix(width)) }
    }
}
