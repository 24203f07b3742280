import BPGradEngine

/// One configuration's predicted class over the plane, half-block resolution, brightness by
/// confidence, with the training points in their class's colour on top (a cross where the
/// network gets the point wrong) and a key to the classes.
struct BoundaryPanel: Widget {
    let metrics: ConfigurationMetrics
    let color: Color
    let plane: DashboardInfo.Plane

    /// Per class: dim, medium and bright shades (xterm-256), and the colour of its points.
    static let shades: [[UInt8]] = [[52, 88, 124, 210], [22, 28, 34, 120], [17, 19, 21, 117], [58, 100, 142, 228], [53, 90, 127, 213], [23, 30, 37, 123]]

    static func pointColor(_ label: Int) -> Color { .indexed(shades[label % shades.count][3]) }

    /// The pixel grid that fits `area` (two pixels per cell vertically).
    static func request(for area: Rect, plane: DashboardInfo.Plane) -> DecisionBoundary.Request {
        let inner = area.inset(1)
        return DecisionBoundary.Request(x: plane.x, y: plane.y, width: max(1, inner.width), height: max(1, inner.height * 2))
    }

    func render(into grid: inout Grid, area: Rect) {
        guard area.width >= 4, area.height >= 3 else { return }
        grid.box(area)
        let title = " \(metrics.label) " + (metrics.boundary.map { "· step \($0.step) " } ?? "")
        grid.write(title, x: area.x + 1, y: area.y, style: Style(fg: color, bold: true), maxWidth: area.width - 2)
        let inner = area.inset(1)
        guard let b = metrics.boundary else {
            grid.write("computing...", x: inner.x + 1, y: inner.y, style: Style(dim: true), maxWidth: inner.width)
            return
        }
        let w = b.request.width, h = b.request.height
        // Nearest pixel of the (possibly older, differently sized) boundary.
        func pixel(_ px: Int, _ py: Int) -> Int {
            min(h - 1, max(0, py * h / max(1, inner.height * 2))) * w + min(w - 1, max(0, px * w / max(1, inner.width)))
        }
        func shade(_ px: Int, _ py: Int) -> Color {
            let i = pixel(px, py)
            let shades = Self.shades[Int(b.classes[i]) % Self.shades.count]
            let c = b.confidence[i], k = Float(max(plane.classes, 2))
            let level = c < 1.5 / k ? 0 : (c < 0.9 ? 1 : 2)
            return .indexed(shades[level])
        }
        for row in 0..<inner.height {
            for col in 0..<inner.width {
                grid.set(inner.x + col, inner.y + row, "▀", Style(fg: shade(col, 2 * row), bg: shade(col, 2 * row + 1)))
            }
        }
        let d = TestFunction.Domain(x: plane.x, y: plane.y)
        // At most one point per three cells, so small panels still show the regions.
        let stride = max(1, plane.points.count * 3 / max(1, inner.width * inner.height))
        var wrong = 0, shown = 0
        for k in Swift.stride(from: 0, to: plane.points.count, by: stride) {
            let p = plane.points[k], label = Int(plane.labels[k])
            guard let cell = Heatmap.cell(of: SIMD2(Double(p.x), Double(p.y)), area: inner, domain: d) else { continue }
            let predicted = Int(b.classes[pixel(cell.x - inner.x, 2 * (cell.y - inner.y))])
            shown += 1
            let miss = predicted != label
            if miss { wrong += 1 }
            grid.set(cell.x, cell.y, miss ? "×" : "•", Style(fg: Self.pointColor(label), bg: grid[cell.x, cell.y].style.bg, bold: true))
        }
        // The class key and the share of shown points the network gets wrong, on the bottom edge.
        var x = grid.write(" ", x: area.x + 1, y: area.maxY - 1)
        for c in 0..<min(plane.classes, 6) where x + 4 < area.maxX - 1 {
            x = grid.write("•", x: x, y: area.maxY - 1, style: Style(fg: Self.pointColor(c), bold: true))
            x = grid.write("\(c) ", x: x, y: area.maxY - 1, style: Style(fg: Self.pointColor(c)))
        }
        if shown > 0 { grid.write("× wrong \(wrong)/\(shown) ", x: x, y: area.maxY - 1, style: Style(fg: Palette.muted), maxWidth: area.maxX - 1 - x) }
    }
}
