import BPGradEngine
import Foundation

/// The landscape screen: heatmap with pruned regions, minima and trajectories, and a side panel.
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
        let status = state.cursor != nil ? "choose start" : (model.tracks.allSatisfy { $0.finished != nil || $0.steps >= model.stepLimit } ? "finished" : (state.paused ? "paused" : "running"))
        var x = grid.write(" bpgrad-tui landscape ", x: 0, y: header.y, style: Style(fg: .black, bg: Palette.accent, bold: true))
        x = grid.write("  \(model.functionName)", x: x, y: header.y, style: Style(bold: true))
        grid.write("  ● \(status)  ×\(state.stepsPerFrame) steps/frame  limit \(model.stepLimit)", x: x, y: header.y, style: Style(fg: Palette.muted))

        grid.box(mapArea)
        let inner = mapArea.inset(1)
        Heatmap(function: model.function, isPruned: model.isPruned).render(into: &grid, area: inner)
        let d = model.function.domain
        for t in model.tracks {
            let color = Palette.color(forSolver: t.kind == LandscapeRun.branchAndPruneKind ? "bpgrad-bp" : t.kind)
            for p in t.path.dropLast() {
                guard let c = Heatmap.cell(of: p, area: inner, domain: d) else { continue }
                grid.set(c.x, c.y, "•", Style(fg: color, bg: grid[c.x, c.y].style.bg))
            }
        }
        for m in model.minima {
            if let c = Heatmap.cell(of: m, area: inner, domain: d) { grid.set(c.x, c.y, "✕", Style(fg: .white, bg: grid[c.x, c.y].style.bg, bold: true)) }
        }
        for t in model.tracks {
            guard let p = t.path.last, let c = Heatmap.cell(of: p, area: inner, domain: d) else { continue }
            grid.set(c.x, c.y, "●", Style(fg: Palette.color(forSolver: t.kind), bg: grid[c.x, c.y].style.bg, bold: true))
        }
        if let cur = state.cursor, let c = Heatmap.cell(of: cur, area: inner, domain: d) {
            grid.set(c.x, c.y, "╋", Style(fg: .white, bold: true, reverse: true))
        }
        grid.write(" x \(NumberFormat.compact(d.x.lowerBound))…\(NumberFormat.compact(d.x.upperBound))  y \(NumberFormat.compact(d.y.lowerBound))…\(NumberFormat.compact(d.y.upperBound))  ✕ global minimum  grey: pruned ",
                   x: mapArea.x + 1, y: mapArea.maxY - 1, style: Style(fg: Palette.muted), maxWidth: mapArea.width - 2)
        renderPanel(into: &grid, area: panel)
        let foot = state.message ?? (state.cursor != nil ? "arrows move the start · Enter restarts there · Esc cancels"
            : "q quit  space pause  n step  r restart  ↑↓ select  ←→ change  c start  t function  + - speed  ? help")
        grid.write(" " + foot, x: 0, y: footer.y, style: Style(fg: state.message == nil ? Palette.muted : Palette.accent), maxWidth: width)
        if state.showHelp {
            Overlay(title: "keys", lines: LandscapeState.help.map { ($0.key.padding(toLength: 11, withPad: " ", startingAt: 0) + $0.action, .plain) },
                    width: 72).render(into: &grid, area: grid.area)
        }
        return grid
    }

    private func renderPanel(into grid: inout Grid, area: Rect) {
        grid.box(area)
        grid.write(" solvers ", x: area.x + 1, y: area.y, style: Style(bold: true))
        let inner = area.inset(1)
        var lines = [(String, Style, Bool)]()
        var slot = 0
        for t in model.tracks {
            lines.append((t.name, Style(fg: Palette.color(forSolver: t.kind), bold: true), false))
            for info in t.hyper.schema {
                let v = t.hyper[info.name].map(ParameterPanel.text) ?? ""
                let nameWidth = max(1, inner.width - 3 - max(8, v.count))
                lines.append(("  " + info.name.prefix(nameWidth).padding(toLength: nameWidth, withPad: " ", startingAt: 0) + " " + v, .plain, slot == state.selected))
                slot += 1
            }
            var stats = "  f \(t.fNow.map(NumberFormat.compact) ?? "-")  best \(NumberFormat.compact(t.best))"
            lines.append((stats, Style(fg: Palette.muted), false))
            stats = "  dist \(NumberFormat.compact(t.distance))  steps \(t.steps)"
            lines.append((stats, Style(fg: Palette.muted), false))
            if let p = t.prunedFraction { lines.append((String(format: "  pruned %.1f%% of the domain", 100 * p), Style(fg: Palette.muted), false)) }
            if let f = t.finished {
                lines.append((t.kind == LandscapeRun.branchAndPruneKind ? "  no unpruned space left: step \(f)" : "  diverged at step \(f)", Style(fg: Palette.accent), false))
            }
        }
        let selectedLine = lines.firstIndex { $0.2 } ?? 0
        let first = max(0, min(selectedLine - inner.height / 2, lines.count - inner.height))
        for (row, line) in lines.dropFirst(first).prefix(inner.height).enumerated() {
            let style = line.2 ? Style(fg: Palette.accent, bold: true, reverse: true) : line.1
            grid.write(line.2 ? line.0.padding(toLength: inner.width, withPad: " ", startingAt: 0) : line.0,
                       x: inner.x, y: inner.y + row, style: style, maxWidth: inner.width)
        }
    }
}
