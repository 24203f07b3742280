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

    /// Where each part of the screen goes.
    public struct Layout: Sendable {
        public var header: Rect, charts: Rect, panel: Rect, table: Rect, footer: Rect

        public init(width: Int, height: Int, configurations: Int) {
            let area = Rect(x: 0, y: 0, width: width, height: height)
            let (headerArea, rest) = area.splitTop(2)
            let (body, footerArea) = rest.splitBottom(1)
            let tableHeight = min(configurations + 1, max(2, body.height / 4))
            let (upper, tableArea) = body.splitBottom(tableHeight)
            let (chartsArea, panelArea) = upper.splitRight(width >= 140 ? 34 : 28)
            header = headerArea; charts = chartsArea; panel = panelArea; footer = footerArea
            table = Rect(x: tableArea.x + 1, y: tableArea.y, width: tableArea.width - 1, height: tableArea.height)
        }

        /// One decision-boundary panel per configuration, side by side.
        public func boundaryPanels(_ count: Int) -> [Rect] { charts.columns(max(1, count)) }
    }

    /// The four charts as the screen shows them now (for an export as a figure).
    public var charts: [LineChart] {
        let data = ChartData(snapshot: snapshot, info: info, state: state)
        return ChartDefinition.all.map { $0.build(data) }
    }

    public func render(width: Int, height: Int) -> Grid {
        var grid = Grid(width: width, height: height)
        guard !Self.renderTooSmall(into: &grid) else { return grid }
        let layout = Layout(width: width, height: height, configurations: snapshot.configurations.count)
        let data = ChartData(snapshot: snapshot, info: info, state: state)

        renderHeader(into: &grid, area: layout.header)
        if state.showBoundaries, let plane = info.plane {
            let shown = data.visible
            for (k, area) in layout.boundaryPanels(shown.count).enumerated() where k < shown.count {
                BoundaryPanel(metrics: snapshot.configurations[shown[k]], color: data.color(shown[k]), plane: plane).render(into: &grid, area: area)
            }
        } else {
            let areas = ChartDefinition.areas(ChartDefinition.all.count, in: layout.charts)
            for (definition, area) in zip(ChartDefinition.all, areas) { definition.build(data).render(into: &grid, area: area) }
        }
        ParameterPanel(snapshot: snapshot, selected: state.selectedParameter, editor: state.editor, hidden: state.hidden,
                       changes: data.recentChanges(limit: 4), pending: state.pending).render(into: &grid, area: layout.panel)
        ConfigurationTable(snapshot: snapshot, hidden: state.hidden).render(into: &grid, area: layout.table)
        renderFooter(into: &grid, area: layout.footer)

        if state.showHelp { HelpOverlay(title: "keys · ? or Esc closes", entries: HelpText.keys).render(into: &grid, area: grid.area) }
        if let picker = state.picker {
            PickerOverlay(entries: picker.entries, selection: picker.selection, current: info.presetName).render(into: &grid, area: grid.area)
        }
        return grid
    }

    private var runState: (text: String, color: Color) {
        if state.frozen != nil { return ("frozen", Palette.accent) }
        if snapshot.configurations.isEmpty { return ("waiting", Palette.muted) }
        let all = snapshot.configurations
        if all.allSatisfy({ $0.status.isDone }) { return ("finished", Palette.accent) }
        if all.contains(where: { $0.status == .stale }) { return ("stale", Palette.danger) }
        if all.contains(where: { $0.status == .running }) { return ("running", .green) }
        if all.contains(where: { $0.status == .paused }) { return ("paused", Palette.accent) }
        return ("starting", Palette.muted)
    }

    private func renderHeader(into grid: inout Grid, area: Rect) {
        var x = grid.write(" bpgrad-tui ", x: area.x, y: area.y, style: Style(fg: .black, bg: Palette.accent, bold: true))
        x = grid.write("  \(info.presetName)", x: x, y: area.y, style: Style(bold: true))
        // A run read back may not say what its data or network was.
        if !info.datasetName.isEmpty { x = grid.write("  data \(info.datasetName)", x: x, y: area.y, style: Style(fg: Palette.muted)) }
        if !info.networkSummary.isEmpty {
            let params = info.parameterCount > 0 ? " · \(info.parameterCount) params" : ""
            grid.write("  net \(info.networkSummary)\(params)", x: x, y: area.y, style: Style(fg: Palette.muted), maxWidth: area.maxX - x)
        }
        let run = runState
        x = grid.write(" ● \(run.text)", x: area.x, y: area.y + 1, style: Style(fg: run.color, bold: true))
        if let lead = snapshot.configurations.max(by: { $0.step < $1.step }) {
            let total = lead.totalSteps
            x = grid.write("  epoch \(lead.epoch)  step \(lead.step)", x: x, y: area.y + 1)
            if lead.step > total {
                x = grid.write(" · past the preset's \(total)", x: x, y: area.y + 1, style: Style(fg: Palette.accent))
            } else {
                x = grid.write("/\(total)", x: x, y: area.y + 1)
            }
        }
        x = grid.write("  ⏱ \(NumberText.duration(snapshot.elapsedSeconds))", x: x, y: area.y + 1)
        if let note = info.note {
            // A long note (what differs between overlaid runs) ends in "…" rather than mid-word at the edge.
            let room = area.maxX - x, text = "  \(note)"
            let shown = text.count <= room ? text : String(text.prefix(max(0, room - 1))) + "…"
            x = grid.write(shown, x: x, y: area.y + 1, style: Style(fg: Palette.accent, bold: true), maxWidth: max(0, room))
        }
        let speed = state.speed == nil ? "" : "  ⏵ \(state.speedLabel)"
        x = grid.write(speed, x: x, y: area.y + 1, style: Style(fg: Palette.accent, bold: true))
        var flags = [String]()
        if state.stopAtLength { flags.append("stops at length") }
        if state.pauseOnEvaluation { flags.append("pause at evals") }
        if !flags.isEmpty { x = grid.write("  " + flags.joined(separator: " · "), x: x, y: area.y + 1, style: Style(fg: Palette.muted)) }
        let view = "x \(state.xAxis.rawValue) · \(state.zoom.label) · smooth \(state.smoothing == 0 ? "off" : NumberText.compact(state.smoothing))\(state.logScale ? " · log" : "")"
        if area.maxX - x > view.count + 2 { grid.write(view, x: area.maxX - view.count - 1, y: area.y + 1, style: Style(fg: Palette.muted)) }
    }

    private func renderFooter(into grid: inout Grid, area: Rect) {
        if let message = state.message {
            grid.write(" " + message, x: area.x, y: area.y, style: Style(fg: Palette.accent), maxWidth: area.width)
        } else if let editor = state.editor {
            let text = editor.error.map { " \($0) · type a new value · Esc cancels" }
                ?? (editor.selected ? " typing replaces \(editor.text) · → edits it · Enter applies · Esc cancels"
                                    : " type a value · Enter applies · Esc cancels")
            grid.write(text, x: area.x, y: area.y, style: Style(fg: editor.error == nil ? Palette.accent : Palette.danger), maxWidth: area.width)
        } else if let alert = snapshot.alerts.last {
            let more = snapshot.alerts.count > 1 ? " (+\(snapshot.alerts.count - 1) more in events.csv)" : ""
            grid.write(" ! " + alert + more, x: area.x, y: area.y, style: Style(fg: Palette.danger, bold: true), maxWidth: area.width)
        } else {
            let footer = info.source == .live ? HelpText.footer : (info.source == .watch ? HelpText.watchFooter : HelpText.viewFooter)
            grid.write(" " + footer, x: area.x, y: area.y, style: Style(fg: Palette.muted), maxWidth: area.width)
        }
    }

    /// Below 80x24, a centred message instead of the view; true when it drew it.
    public static func renderTooSmall(into grid: inout Grid) -> Bool {
        guard grid.width < minimumWidth || grid.height < minimumHeight else { return false }
        let msg = "terminal too small: need \(minimumWidth)x\(minimumHeight), have \(grid.width)x\(grid.height)"
        let lines = TextWrap.wrap(msg, width: max(1, grid.width))
        for (i, line) in lines.enumerated() {
            grid.write(line, x: max(0, (grid.width - line.count) / 2), y: max(0, (grid.height - lines.count) / 2) + i,
                       style: Style(fg: Palette.accent, bold: true))
        }
        return true
    }
}
