import BPGradEngine
import Foundation

/// The landscape screen: heatmap with pruned regions and a colour key, minima, each solver's
/// path as a connected trail with its current point, and a side panel.
public struct LandscapeView {
    public let model: LandscapeModel
    public let state: LandscapeState

    public init(model: LandscapeModel, state: LandscapeState) {
        self.model = model
        self.state = state
    }

    public func render(width: Int, height: Int) -> Grid {
        var grid = Grid(width: width, height: height)
        guard !DashboardView.renderTooSmall(into: &grid) else { return grid }
        let (header, rest) = grid.area.splitTop(1)
        let (body, footer) = rest.splitBottom(1)
        let (mapArea, panel) = body.splitRight(width >= 140 ? 40 : 32)
        let done = model.tracks.allSatisfy { $0.finished != nil || $0.steps >= model.stepLimit }
        let status = state.cursor != nil ? "choose start" : (done ? "finished" : (state.paused ? "paused" : "running"))
        var x = grid.write(" bpgrad-tui landscape ", x: 0, y: header.y, style: Style(fg: .black, bg: Palette.accent, bold: true))
        x = grid.write("  \(model.functionName)", x: x, y: header.y, style: Style(bold: true))
        grid.write("  ● \(status)  ×\(state.stepsPerFrame) steps/frame  limit \(model.stepLimit)", x: x, y: header.y, style: Style(fg: Palette.muted))

        grid.box(mapArea)
        let inner = mapArea.inset(1)
        let heatmap = Heatmap(function: model.function, isPruned: model.isPruned)
        let top = heatmap.draw(into: &grid, area: inner)
        let d = model.function.domain
        for (i, t) in model.tracks.enumerated() { drawTrail(t, color: Palette.color(forConfiguration: i), into: &grid, area: inner, domain: d) }
        for m in model.minima {
            if let c = Heatmap.cell(of: m, area: inner, domain: d) { grid.set(c.x, c.y, "✕", Style(fg: .white, bg: grid[c.x, c.y].style.bg, bold: true)) }
        }
        for (i, t) in model.tracks.enumerated() {
            guard let p = t.path.last else { continue }
            // A solver that left the domain is marked at the edge where it left.
            let inside = d.contains(p)
            let c = Heatmap.clampedCell(of: p, area: inner, domain: d)
            grid.set(c.x, c.y, inside ? "●" : "⊗", Style(fg: Palette.color(forConfiguration: i), bg: grid[c.x, c.y].style.bg, bold: true))
        }
        if let cur = state.cursor, let c = Heatmap.cell(of: cur, area: inner, domain: d) {
            grid.set(c.x, c.y, "╋", Style(fg: .white, bold: true, reverse: true))
        }
        drawKey(maximum: top, into: &grid, mapArea: mapArea)
        renderPanel(into: &grid, area: panel)
        let foot: String
        if let cur = state.cursor {
            foot = "start x \(NumberText.compact(cur.x)), y \(NumberText.compact(cur.y)) · arrows move · Enter restarts there · Esc cancels"
        } else {
            foot = state.message ?? "q quit  space pause  n step  r restart  ↑↓ select  ←→ change  c start  t function  + - speed  ? help"
        }
        grid.write(" " + foot, x: 0, y: footer.y, style: Style(fg: state.message == nil && state.cursor == nil ? Palette.muted : Palette.accent), maxWidth: width)
        if state.showHelp { HelpOverlay(title: "keys", entries: LandscapeState.help).render(into: &grid, area: grid.area) }
        return grid
    }

    /// The path as a connected trail of dots, cell to cell.
    private func drawTrail(_ t: LandscapeModel.Track, color: Color, into grid: inout Grid, area: Rect, domain d: TestFunction.Domain) {
        var previous: (x: Int, y: Int)?
        for p in t.path.dropLast() {
            guard p.x.isFinite, p.y.isFinite else { previous = nil; continue }
            let c = Heatmap.clampedCell(of: p, area: area, domain: d)
            if let q = previous {
                // Bresenham between the cells, bounded by the area's size.
                var x = q.x, y = q.y
                let dx = abs(c.x - q.x), dy = -abs(c.y - q.y), sx = q.x < c.x ? 1 : -1, sy = q.y < c.y ? 1 : -1
                var err = dx + dy
                for _ in 0...(area.width + area.height) {
                    grid.set(x, y, "·", Style(fg: color, bg: grid[x, y].style.bg, bold: true))
                    if x == c.x && y == c.y { break }
                    let e2 = 2 * err
                    if e2 >= dy { err += dy; x += sx }
                    if e2 <= dx { err += dx; y += sy }
                }
            }
            grid.set(c.x, c.y, "•", Style(fg: color, bg: grid[c.x, c.y].style.bg, bold: true))
            previous = c
        }
    }

    /// The colour key on the bottom edge: the ramp from f = 0 to its maximum (log scale),
    /// the domain, and what the marks mean.
    private func drawKey(maximum: Double, into grid: inout Grid, mapArea: Rect) {
        let d = model.function.domain, y = mapArea.maxY - 1
        var x = grid.write(" f 0 ", x: mapArea.x + 1, y: y, style: Style(fg: Palette.muted))
        for k in 0..<12 where x < mapArea.maxX - 2 { x = grid.write("█", x: x, y: y, style: Style(fg: Heatmap.rampColor(Double(k) / 11))) }
        x = grid.write(" \(NumberText.compact(maximum)) (log) ", x: x, y: y, style: Style(fg: Palette.muted), maxWidth: mapArea.maxX - 1 - x)
        grid.write("x \(NumberText.compact(d.x.lowerBound))…\(NumberText.compact(d.x.upperBound)) y \(NumberText.compact(d.y.lowerBound))…\(NumberText.compact(d.y.upperBound)) · ✕ minimum · grey pruned ",
                   x: x, y: y, style: Style(fg: Palette.muted), maxWidth: mapArea.maxX - 1 - x)
    }

    private func renderPanel(into grid: inout Grid, area: Rect) {
        var lines = [SelectableList.Line]()
        var slot = 0
        let d = model.function.domain
        for (i, t) in model.tracks.enumerated() {
            lines.append(.init(t.name, Style(fg: Palette.color(forConfiguration: i), bold: true)))
            for info in t.hyper.infos {
                let v = t.hyper[info.key].map(ParameterPanel.text) ?? ""
                lines.append(.init(ParameterPanel.row(info.key.rawValue, v, width: area.width - 2), .plain, selected: slot == state.selected))
                slot += 1
            }
            let muted = Style(fg: Palette.muted)
            lines.append(.init("  f \(t.fNow.map(NumberText.compact) ?? "-")  best \(NumberText.compact(t.best))", muted))
            lines.append(.init("  dist \(NumberText.compact(t.distance))  steps \(t.steps)", muted))
            if let p = t.prunedFraction { lines.append(.init("  pruned \(NumberText.percent(p)) of the domain", muted)) }
            if let left = t.leftDomain(d) {
                lines.append(.init("  left the domain at step \(left)", Style(fg: Palette.danger)))
            }
            if let f = t.finished {
                let why = t.prunedFraction != nil ? "  no unpruned grid cell left: step \(f)" : "  diverged at step \(f)"
                lines.append(.init(why, Style(fg: Palette.accent)))
            }
        }
        SelectableList(title: "solvers", lines: lines).render(into: &grid, area: area)
    }
}
