import Foundation

/// A braille line chart with a title, a legend, y and x ticks and vertical event markers.
///
/// Degenerate data is a normal case: no data draws "no data", a constant series gets a
/// small range around its value, NaN and infinite values are skipped, and with a log scale
/// so are values <= 0.
public struct LineChart: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var color: Color
        /// Points in x order.
        public var points: [(x: Double, y: Double)]
        /// Spans of older history (x range with y min and max), drawn as vertical strokes.
        public var spans: [(x0: Double, x1: Double, min: Double, max: Double)] = []
        /// Drawn dim, behind the others, and left out of the legend (raw values under smoothing).
        public var faint = false
        /// Dots only, no connecting lines (test loss at evaluations).
        public var scatter = false
        /// Listed in the title's legend.
        public var legend = true

        public init(name: String, color: Color, points: [(x: Double, y: Double)], faint: Bool = false, scatter: Bool = false) {
            self.name = name; self.color = color; self.points = points; self.faint = faint; self.scatter = scatter
        }
    }

    public struct Marker: Sendable {
        public var x: Double
        public var color: Color
        public init(x: Double, color: Color) { self.x = x; self.color = color }
    }

    public var title: String
    public var series: [Series]
    public var markers: [Marker] = []
    public var logScale = false
    /// The x range to show; nil fits the data.
    public var xRange: ClosedRange<Double>?
    public var xLabel: @Sendable (Double) -> String = { NumberFormat.compact($0) }
    /// A line of text under the title (e.g. a live readout).
    public var readout: String?

    public init(title: String, series: [Series]) {
        self.title = title
        self.series = series
    }

    struct Layout {
        var frame: Rect, plot: Rect, yLabels: Rect, xLabels: Rect
        var readout: Rect?
    }

    static let yLabelWidth = 7

    func layout(_ area: Rect) -> Layout? {
        let inner = area.inset(1)
        guard inner.width >= Self.yLabelWidth + 4, inner.height >= 3 else { return nil }
        var body = inner, readoutRect: Rect?
        if readout != nil, inner.height >= 5 { (readoutRect, body) = inner.splitTop(1) }
        let (upper, xLabels) = body.splitBottom(1)
        let yLabels = Rect(x: upper.x, y: upper.y, width: Self.yLabelWidth, height: upper.height)
        let plot = Rect(x: upper.x + Self.yLabelWidth, y: upper.y, width: upper.width - Self.yLabelWidth, height: upper.height)
        return Layout(frame: area, plot: plot, yLabels: yLabels,
                      xLabels: Rect(x: plot.x, y: xLabels.y, width: plot.width, height: 1), readout: readoutRect)
    }

    public func render(into grid: inout Grid, area: Rect) {
        guard area.width >= 4, area.height >= 3 else { return }
        grid.box(area)
        drawTitle(into: &grid, area: area)
        guard let l = layout(area) else { return }
        if let r = l.readout, let readout { grid.write(readout, x: r.x, y: r.y, style: Style(fg: .basic(7)), maxWidth: r.width) }

        let value: (Double) -> Double? = { [logScale] y in
            guard y.isFinite else { return nil }
            if logScale { return y > 0 ? log10(y) : nil }
            return y
        }
        var xs = [Double](), ys = [Double]()
        for s in series {
            for p in s.points where xRange?.contains(p.x) ?? true { if let v = value(p.y) { xs.append(p.x); ys.append(v) } }
            for b in s.spans where xRange.map({ $0.overlaps(b.x0...b.x1) }) ?? true {
                for y in [b.min, b.max] { if let v = value(y) { xs.append(b.x0); xs.append(b.x1); ys.append(v) } }
            }
        }
        guard let yMinRaw = ys.min(), let yMaxRaw = ys.max() else {
            let msg = "no data"
            grid.write(msg, x: l.plot.x + max(0, (l.plot.width - msg.count) / 2), y: l.plot.y + l.plot.height / 2, style: Style(dim: true))
            return
        }
        var x0 = xRange?.lowerBound ?? xs.min()!, x1 = xRange?.upperBound ?? xs.max()!
        if x1 <= x0 { x0 -= 0.5; x1 += 0.5 }
        var y0 = yMinRaw, y1 = yMaxRaw
        if y1 - y0 < 1e-12 * max(1, abs(y0)) {
            let pad = logScale ? 0.5 : max(abs(y0) * 0.1, 1e-6)
            y0 -= pad; y1 += pad
        } else {
            // A little air, but never below zero for data that is never negative.
            let pad = (y1 - y0) * 0.05
            y0 = (!logScale && y0 >= 0) ? max(0, y0 - pad) : y0 - pad
            y1 += pad
        }

        var canvas = BrailleCanvas(columns: l.plot.width, rows: l.plot.height)
        let w = Double(canvas.dotWidth - 1), h = Double(canvas.dotHeight - 1)
        func px(_ x: Double) -> Int { Int(((x - x0) / (x1 - x0) * w).rounded()) }
        func py(_ y: Double) -> Int { Int(((1 - (y - y0) / (y1 - y0)) * h).rounded()) }

        for m in markers where m.x >= x0 && m.x <= x1 {
            let x = px(m.x)
            for y in stride(from: 0, to: canvas.dotHeight, by: 2) { canvas.dot(x, y, Style(fg: m.color, dim: true)) }
        }
        for s in series.sorted(by: { $0.faint && !$1.faint }) {
            let style = Style(fg: s.color, dim: s.faint)
            for b in s.spans where b.x1 >= x0 && b.x0 <= x1 {
                guard let lo = value(b.min), let hi = value(b.max) else { continue }
                canvas.line(px(b.x0), py(lo), px(b.x1), py(hi), style)
            }
            var previous: (Int, Int)?
            for p in s.points {
                guard p.x >= x0, p.x <= x1, let v = value(p.y) else { previous = nil; continue }
                let point = (px(p.x), py(v))
                if s.scatter {
                    canvas.dot(point.0, point.1, style); canvas.dot(point.0 + 1, point.1, style)
                } else if let q = previous {
                    canvas.line(q.0, q.1, point.0, point.1, style)
                } else {
                    canvas.dot(point.0, point.1, style)
                }
                previous = point
            }
        }
        canvas.render(into: &grid, x: l.plot.x, y: l.plot.y)
        drawYTicks(into: &grid, l, y0, y1)
        drawXTicks(into: &grid, l, x0, x1)
    }

    private func drawTitle(into grid: inout Grid, area: Rect) {
        var x = grid.write(" \(title)\(logScale ? " (log)" : "") ", x: area.x + 1, y: area.y, style: Style(bold: true), maxWidth: area.width - 2)
        var seen = Set<String>()
        for s in series where !s.faint && s.legend && seen.insert(s.name).inserted {
            let label = "■ \(s.name) "
            guard x + label.count < area.maxX - 1 else { break }
            x = grid.write("■", x: x, y: area.y, style: Style(fg: s.color))
            x = grid.write(" \(s.name) ", x: x, y: area.y, style: Style(fg: s.color))
        }
    }

    private func drawYTicks(into grid: inout Grid, _ l: Layout, _ y0: Double, _ y1: Double) {
        let rows = l.plot.height
        let style = Style(fg: .basic(7), dim: true)
        func put(_ value: Double, row: Int) {
            let text = String(NumberFormat.compact(value).prefix(Self.yLabelWidth - 1))
            grid.write(String(repeating: " ", count: Self.yLabelWidth - 1 - text.count) + text + "┤",
                       x: l.yLabels.x, y: l.plot.y + row, style: style)
        }
        // The row whose dots are nearest to value v (in plotted units).
        func row(of v: Double) -> Int {
            Int(((1 - (v - y0) / (y1 - y0)) * Double(rows * 4 - 1) / 4).rounded(.down))
        }
        // On a log scale, label whole powers of ten when at least two fall in range.
        if logScale {
            let decades = Array(Int(y0.rounded(.up))...max(Int(y0.rounded(.up)), Int(y1.rounded(.down))))
                .filter { Double($0) >= y0 && Double($0) <= y1 }
            if decades.count >= 2 {
                let step = max(1, decades.count / max(2, rows / 2))
                var used = Set<Int>()
                for e in Swift.stride(from: decades.count - 1, through: 0, by: -step).map({ decades[$0] }) {
                    let r = min(rows - 1, max(0, row(of: Double(e))))
                    if used.insert(r).inserted { put(pow(10, Double(e)), row: r) }
                }
                return
            }
        }
        let count = rows >= 9 ? 4 : (rows >= 4 ? 3 : 2)
        for i in 0..<count {
            let r = count == 1 ? 0 : (rows - 1) * i / (count - 1)
            // The value at the middle of that row of dots.
            let frac = 1 - (Double(r) * 4 + 1.5) / Double(rows * 4 - 1)
            let v = y0 + min(max(frac, 0), 1) * (y1 - y0)
            put(logScale ? pow(10, v) : v, row: r)
        }
    }

    private func drawXTicks(into grid: inout Grid, _ l: Layout, _ x0: Double, _ x1: Double) {
        let style = Style(fg: .basic(7), dim: true)
        let left = xLabel(x0), right = xLabel(x1), mid = xLabel((x0 + x1) / 2)
        let r = l.xLabels
        grid.write(left, x: r.x, y: r.y, style: style, maxWidth: r.width)
        if r.width >= left.count + right.count + 1 {
            grid.write(right, x: r.maxX - right.count, y: r.y, style: style)
        }
        let midX = r.x + (r.width - mid.count) / 2
        if midX > r.x + left.count + 1, midX + mid.count < r.maxX - right.count - 1 {
            grid.write(mid, x: midX, y: r.y, style: style)
        }
    }
}
