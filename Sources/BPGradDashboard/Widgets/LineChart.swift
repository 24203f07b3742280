import BPGradEngine
import Foundation

/// A braille chart: a title with a legend, readout lines, y and x ticks at 1-2-5 values,
/// vertical event markers and an optional cursor.
///
/// Each series is drawn per dot column: a line through the mean of the values that fall in
/// the column (so a noisy series is one readable line, however many points it has), a faint
/// band from their minimum to their maximum, or dots. Degenerate data is a normal case: no
/// data draws "no data", a constant series gets a small range around its value, NaN and
/// infinite values are skipped (and break a line), and with a log scale so are values <= 0.
/// The y range comes from the values inside the x range only. A log axis reaches at most
/// `AxisTicks.logDecades` below the top of that data: a series that collapses towards 0 is
/// drawn along the bottom edge instead of flattening the others, and the title says
/// `▼ below 1e-8`.
/// Every position goes through `AxisScale`, so finite values of any size (±1e308, whose span
/// overflows), reversed spans and non-finite x never reach an Int conversion that traps.
public struct LineChart: Sendable {
    public struct Span: Sendable, Equatable {
        public var x0: Double, x1: Double, min: Double, max: Double, mean: Double
        public init(x0: Double, x1: Double, min: Double, max: Double, mean: Double) {
            self.x0 = x0; self.x1 = x1; self.min = min; self.max = max; self.mean = mean
        }
    }

    public struct Series: Sendable {
        public enum Draw: Sendable { case line, band, scatter }
        public var name: String
        public var color: Color
        /// Points in x order.
        public var points: [(x: Double, y: Double)]
        /// Summaries of older history in x order, all before `points`.
        public var spans: [Span] = []
        public var draw: Draw
        /// Drawn dim, behind the others.
        public var faint = false
        /// Listed in the title's legend.
        public var legend = true
        /// A short name for a crowded legend (the configuration's number).
        public var tag: String?

        public init(name: String, color: Color, points: [(x: Double, y: Double)], spans: [Span] = [], draw: Draw = .line,
                    faint: Bool = false, legend: Bool = true, tag: String? = nil) {
            self.name = name; self.color = color; self.points = points; self.spans = spans; self.draw = draw
            self.faint = faint; self.legend = legend; self.tag = tag
        }
    }

    public struct Marker: Sendable {
        public var x: Double
        public var color: Color
        /// What happened (`set`, `diverged`, ...), for a figure's legend.
        public var kind: EventKind?
        public init(x: Double, color: Color, kind: EventKind? = nil) { self.x = x; self.color = color; self.kind = kind }
    }

    /// One line of text above the plot, in coloured pieces.
    public struct Readout: Sendable {
        public var segments: [(text: String, style: Style)]
        public init(_ segments: [(text: String, style: Style)]) { self.segments = segments }
    }

    public var title: String
    public var series: [Series]
    public var markers: [Marker] = []
    public var logScale = false
    /// The x range to show; nil fits the data.
    public var xRange: ClosedRange<Double>?
    /// A range the y axis never leaves (accuracy: [0, 1]).
    public var yDomain: ClosedRange<Double>?
    public var xLabel: @Sendable (Double) -> String = { NumberText.compact($0) }
    /// The x axis unit, written under the y labels ("step", "epoch", "time").
    public var xUnit = ""
    /// A vertical cursor line at this x.
    public var cursor: Double?
    public var readouts: [Readout] = []

    public init(title: String, series: [Series]) {
        self.title = title
        self.series = series
    }

    struct Layout {
        var frame: Rect, plot: Rect, yLabels: Rect, xLabels: Rect, readout: Rect
    }

    static let yLabelWidth = 7

    func layout(_ area: Rect) -> Layout? {
        let inner = area.inset(1)
        guard inner.width >= Self.yLabelWidth + 4, inner.height >= 3 else { return nil }
        // Readouts give way to the plot: at most half of what is left above three plot rows.
        let readoutRows = min(readouts.count, max(0, (inner.height - 4) / 2))
        let (readout, body) = inner.splitTop(readoutRows)
        let (upper, xLabels) = body.splitBottom(1)
        let yLabels = Rect(x: upper.x, y: upper.y, width: Self.yLabelWidth, height: upper.height)
        let plot = Rect(x: upper.x + Self.yLabelWidth, y: upper.y, width: upper.width - Self.yLabelWidth, height: upper.height)
        return Layout(frame: area, plot: plot, yLabels: yLabels, xLabels: Rect(x: upper.x, y: xLabels.y, width: upper.width, height: 1),
                      readout: readout)
    }

    /// Per dot column: the range and mean of the values that fall in it.
    struct Columns {
        var lo: [Double], hi: [Double], sum: [Double], count: [Int]
        /// A running mean beside the sum, for when the sum overflows (1e308 + 1e308).
        var running: [Double]
        /// A non-finite value fell here: lines do not connect across it.
        var gap: [Bool]

        init(_ n: Int) {
            lo = Array(repeating: .infinity, count: n); hi = Array(repeating: -.infinity, count: n)
            sum = Array(repeating: 0, count: n); running = sum; count = Array(repeating: 0, count: n); gap = Array(repeating: false, count: n)
        }

        mutating func add(_ c: Int, min a: Double, max b: Double, mean m: Double) {
            guard c >= 0, c < count.count else { return }
            lo[c] = Swift.min(lo[c], a); hi[c] = Swift.max(hi[c], b); sum[c] += m; count[c] += 1
            // On halves, so the difference of two opposite extremes stays finite.
            running[c] += (m * 0.5 - running[c] * 0.5) / Double(count[c]) * 2
        }

        func mean(_ c: Int) -> Double {
            let m = sum[c] / Double(count[c])
            return m.isFinite ? m : running[c]
        }
    }

    private func transform(_ y: Double) -> Double? {
        guard y.isFinite else { return nil }
        if logScale { return y > 0 ? log10(y) : nil }
        return y
    }

    private func columns(_ s: Series, width: Int, xs: AxisScale) -> Columns {
        var cols = Columns(width)
        let x0 = xs.lower, x1 = xs.upper
        for b in s.spans {
            // A span's ends may come reversed (training time that went back) or not at all.
            let a = Swift.min(b.x0, b.x1), z = Swift.max(b.x0, b.x1)
            guard z >= x0, a <= x1, let ca = xs.index(a, count: width), let cz = xs.index(z, count: width) else { continue }
            guard let lo = transform(b.min), let hi = transform(b.max), let mean = transform(b.mean) else { continue }
            let first = Swift.min(width - 1, Swift.max(0, ca)), last = Swift.min(width - 1, Swift.max(0, cz))
            guard first <= last else { continue }
            for c in first...last { cols.add(c, min: lo, max: hi, mean: mean) }
        }
        for p in s.points where p.x >= x0 && p.x <= x1 {
            guard let c = xs.index(p.x, count: width) else { continue }
            guard let v = transform(p.y) else {
                if c >= 0, c < width, !p.y.isFinite { cols.gap[c] = true }
                continue
            }
            cols.add(c, min: v, max: v, mean: v)
        }
        return cols
    }

    public func render(into grid: inout Grid, area: Rect) {
        guard area.width >= 4, area.height >= 3 else { return }
        grid.box(area)
        guard let l = layout(area) else { drawTitle(into: &grid, area: area); return }
        for (i, line) in readouts.prefix(l.readout.height).enumerated() {
            var x = l.readout.x
            for seg in line.segments { x = grid.write(seg.text, x: x, y: l.readout.y + i, style: seg.style, maxWidth: l.readout.maxX - x) }
        }

        let xs = xScale()
        let x0 = xs.lower, x1 = xs.upper
        let width = l.plot.width * 2, height = l.plot.height * 4
        let aggregated = series.map { columns($0, width: width, xs: xs) }
        var yMin = Double.infinity, yMax = -Double.infinity
        for (s, cols) in zip(series, aggregated) {
            for c in 0..<width where cols.count[c] > 0 {
                if s.draw == .line {
                    let mean = cols.mean(c)
                    yMin = min(yMin, mean); yMax = max(yMax, mean)
                } else {
                    yMin = min(yMin, cols.lo[c]); yMax = max(yMax, cols.hi[c])
                }
            }
        }
        guard yMin.isFinite, yMax.isFinite else {
            drawTitle(into: &grid, area: area)
            let msg = "no data"
            grid.write(msg, x: l.plot.x + max(0, (l.plot.width - msg.count) / 2), y: l.plot.y + l.plot.height / 2, style: Style(dim: true))
            drawXTicks(into: &grid, l, xs)
            return
        }
        let big = Double.greatestFiniteMagnitude
        // On a log axis the range is fitted to what lies within logDecades of the top.
        var y0 = logScale ? max(yMin, yMax - AxisTicks.logDecades) : yMin, y1 = yMax
        if y1 - y0 < 1e-12 * max(1, abs(y0)) {
            let pad = logScale ? 0.5 : max(abs(y0) * 0.1, 1e-6)
            y0 = max(-big, y0 - pad); y1 = min(big, y1 + pad)
        } else {
            let (a, b) = AxisScale.padded(y0, y1, by: 0.05)
            // A little air, but never below zero for data that is never negative.
            y0 = (!logScale && y0 >= 0) ? max(0, a) : a
            y1 = b
        }
        if let d = yDomain, !logScale { y0 = max(y0, d.lowerBound); y1 = min(y1, d.upperBound); if y1 <= y0 { y0 = d.lowerBound; y1 = d.upperBound } }
        // A log axis spans at most logDecades, down to a whole power of ten; what lies below
        // is drawn on the bottom edge and the title names the bottom.
        var clippedBelow: Int?
        if logScale, let bottom = AxisTicks.logBottom(top: y1), bottom < y1, y0 < bottom {
            y0 = bottom
            if yMin < bottom { clippedBelow = Int(max(-400, min(400, bottom))) }
        }
        drawTitle(into: &grid, area: area, clippedBelow: clippedBelow)
        // Bounds a subnormal apart (or a domain of one point) have no scale: widen them.
        let ys = AxisScale(y0, y1) ?? AxisScale(y0 - max(abs(y0) * 0.1, 1e-6), y0 + max(abs(y0) * 0.1, 1e-6)) ?? AxisScale(-1, 1)!

        var canvas = BrailleCanvas(columns: l.plot.width, rows: l.plot.height)
        // Positions just outside the plot for far-away values: the canvas ignores those dots.
        func px(_ x: Double) -> Int { xs.index(x, count: width) ?? -1 }
        // Values below a clipped log axis lie on its bottom edge.
        let floor = clippedBelow == nil ? -Double.infinity : ys.lower
        func py(_ y: Double) -> Int { ys.row(max(y, floor), count: height) ?? -1 }

        for m in markers where m.x >= x0 && m.x <= x1 {
            let x = px(m.x)
            for y in stride(from: 0, to: height, by: 2) { canvas.dot(x, y, Style(fg: m.color, dim: true), layer: 1) }
        }
        let order = series.indices.sorted { rank(series[$0]) < rank(series[$1]) }
        for i in order {
            let s = series[i], cols = aggregated[i]
            let style = Style(fg: s.color, dim: s.faint)
            let layer = UInt8(rank(s))
            switch s.draw {
            case .band:
                for c in 0..<width where cols.count[c] > 0 { canvas.line(c, py(cols.lo[c]), c, py(cols.hi[c]), style, layer: layer) }
            case .scatter:
                for c in 0..<width where cols.count[c] > 0 {
                    let y = py(cols.mean(c))
                    canvas.dot(c, y, style, layer: layer); canvas.dot(c + 1, y, style, layer: layer)
                }
            case .line:
                var previous: (Int, Int)?
                for c in 0..<width {
                    if cols.gap[c] { previous = nil }
                    guard cols.count[c] > 0 else { continue }
                    let point = (c, py(cols.mean(c)))
                    if let q = previous { canvas.line(q.0, q.1, point.0, point.1, style, layer: layer) } else {
                        canvas.dot(point.0, point.1, style, layer: layer)
                    }
                    previous = point
                }
            }
        }
        if let cursor, cursor >= x0, cursor <= x1 {
            let x = px(cursor)
            for y in 0..<height { canvas.dot(x, y, Style(fg: .white, bold: true), layer: 9) }
        }
        canvas.render(into: &grid, x: l.plot.x, y: l.plot.y)
        // Each marker also gets a tick on the bottom edge, where no data is drawn: a change
        // stays visible even where a steep line fills its column.
        for m in markers where m.x >= x0 && m.x <= x1 {
            grid.set(l.plot.x + px(m.x) / 2, l.frame.maxY - 1, "▴", Style(fg: m.color, bold: true))
        }
        drawYTicks(into: &grid, l, ys)
        drawXTicks(into: &grid, l, xs)
    }

    /// The x axis: `xRange` when it is finite, else the data's finite extent; a single x is
    /// widened by half a step (or a relative sliver where half a step is lost in rounding).
    private func xScale() -> AxisScale {
        var lo = Double.infinity, hi = -Double.infinity
        func see(_ x: Double) { if x.isFinite { lo = min(lo, x); hi = max(hi, x) } }
        if let r = xRange, r.lowerBound.isFinite, r.upperBound.isFinite {
            see(r.lowerBound); see(r.upperBound)
        } else {
            for s in series {
                if let f = s.spans.first { see(f.x0); see(f.x1) }
                if let f = s.points.first { see(f.x) }
                if let last = s.points.last { see(last.x) } else if let last = s.spans.last { see(last.x0); see(last.x1) }
            }
        }
        guard lo <= hi else { return AxisScale(0, 1)! }
        if let s = AxisScale(lo, hi) { return s }
        let pad = max(0.5, abs(lo) * 1e-9), big = Double.greatestFiniteMagnitude
        return AxisScale(max(-big, lo - pad), min(big, hi + pad)) ?? AxisScale(0, 1)!
    }

    /// Drawing order and canvas layer: bands, then markers (1), faint lines, lines, dots, so
    /// lines stay on top of noise and markers.
    private func rank(_ s: Series) -> Int {
        switch s.draw {
        case .band: 0
        case .line: s.faint ? 2 : 3
        case .scatter: 4
        }
    }

    /// The title, then the legend: full names when they all fit, else the short tags
    /// (`■1 ■2 ■3`), and "+N more" for whatever still does not fit. A log axis that clips
    /// values below 10^`clippedBelow` says so: `loss (log, ▼ below 1e-8)`.
    private func drawTitle(into grid: inout Grid, area: Rect, clippedBelow: Int? = nil) {
        let scale = !logScale ? "" : clippedBelow.map { " (log, ▼ below \(AxisTicks.powerOfTenLabel($0)))" } ?? " (log)"
        let x = grid.write(" \(title)\(scale) ", x: area.x + 1, y: area.y, style: Style(bold: true), maxWidth: area.width - 2)
        var seen = Set<String>()
        let entries = series.filter { $0.legend && seen.insert($0.name).inserted }
        let room = area.maxX - 1 - x
        let full = entries.map { "■ \($0.name) " }
        if full.reduce(0, { $0 + $1.count }) <= room {
            var cx = x
            for (e, label) in zip(entries, full) {
                cx = grid.write("■", x: cx, y: area.y, style: Style(fg: e.color))
                cx = grid.write(String(label.dropFirst()), x: cx, y: area.y, style: Style(fg: e.color))
            }
            return
        }
        var cx = x
        for (i, e) in entries.enumerated() {
            let label = "■\(e.tag ?? e.name) "
            let rest = entries.count - i - 1
            let more = rest > 0 ? "+\(rest) more " : ""
            guard cx + label.count + (rest > 0 ? min(more.count, 4) : 0) <= area.maxX - 1 else {
                let left = entries.count - i
                let tail = cx + "+\(left) more ".count <= area.maxX - 1 ? "+\(left) more " : "+\(left) "
                if cx + tail.count <= area.maxX - 1 { grid.write(tail, x: cx, y: area.y, style: Style(fg: Palette.muted)) }
                return
            }
            cx = grid.write("■", x: cx, y: area.y, style: Style(fg: e.color))
            cx = grid.write(String(label.dropFirst()), x: cx, y: area.y, style: Style(fg: e.color))
        }
    }

    private func drawYTicks(into grid: inout Grid, _ l: Layout, _ ys: AxisScale) {
        let y0 = ys.lower, y1 = ys.upper
        let rows = l.plot.height
        let style = Style(fg: .basic(7), dim: true)
        func put(_ text: String, row: Int) {
            let t = String(text.prefix(Self.yLabelWidth - 1))
            grid.write(String(repeating: " ", count: Self.yLabelWidth - 1 - t.count) + t + "┤", x: l.yLabels.x, y: l.plot.y + row, style: style)
        }
        // The text row whose dots are nearest to value v.
        func row(of v: Double) -> Int { (ys.row(v, count: rows * 4) ?? -4) / 4 }
        // About one tick every other row, so no two fall on the same row.
        let wanted = max(2, min(5, rows / 2))
        var used = Set<Int>()
        if logScale {
            // Plotted values are log10s; the ticks are of the values themselves.
            // Decades are evenly spaced, so one more fits than linear ticks with their fractions.
            for t in AxisTicks.log(from: pow(10, y0), to: pow(10, y1), count: wanted + 1).reversed() {
                let r = row(of: log10(t.value))
                if r >= 0, r < rows, used.insert(r).inserted { put(t.label, row: r) }
            }
            return
        }
        func shown(_ ticks: [AxisTicks.Tick]) -> Int { ticks.filter { $0.value >= y0 && $0.value <= y1 }.count }
        var ticks = AxisTicks.linear(from: y0, to: y1, count: wanted, domain: yDomain)
        var target = wanted
        // Labels at least 2.5 rows apart: the nearest 1-2-5 step can put them closer, and
        // labels one or two rows apart, each snapped to a text row, read as unevenly spaced.
        func rowsApart(_ ticks: [AxisTicks.Tick]) -> Double {
            guard ticks.count >= 2 else { return .infinity }
            let span = y1 - y0
            return span.isFinite ? Double(rows) * abs(ticks[1].value - ticks[0].value) / span
                : Double(rows) * abs((ys.fraction(ticks[1].value) ?? 0) - (ys.fraction(ticks[0].value) ?? 0))
        }
        while rowsApart(ticks) < 2.5, target > 2 {
            target -= 1
            let fewer = AxisTicks.linear(from: y0, to: y1, count: target, domain: yDomain)
            if shown(fewer) >= 2 { ticks = fewer }
        }
        // At least two labels, so the scale can be read.
        while shown(ticks) < 2, target < 40 {
            target *= 2
            ticks = AxisTicks.linear(from: y0, to: y1, count: target, domain: yDomain)
        }
        for t in ticks.reversed() {
            let r = row(of: t.value)
            if r >= 0, r < rows, used.insert(r).inserted { put(t.label, row: r) }
        }
    }

    private func drawXTicks(into grid: inout Grid, _ l: Layout, _ xs: AxisScale) {
        let x0 = xs.lower, x1 = xs.upper
        let style = Style(fg: .basic(7), dim: true)
        let r = l.xLabels, plotX = l.plot.x, plotW = l.plot.width
        if !xUnit.isEmpty { grid.write(String(xUnit.prefix(Self.yLabelWidth - 1)), x: r.x, y: r.y, style: style) }
        guard x1 > x0, plotW >= 4 else { return }
        var nextFree = plotX
        for v in AxisTicks.linear(from: x0, to: x1, count: max(2, plotW / 12)).map(\.value) where v >= x0 && v <= x1 {
            let text = xLabel(v)
            guard let dot = xs.index(v, count: plotW * 2) else { continue }
            let col = plotX + dot / 2
            let start = min(max(col - text.count / 2, plotX), plotX + plotW - text.count)
            guard start >= nextFree, start >= plotX else { continue }
            grid.write(text, x: start, y: r.y, style: style)
            nextFree = start + text.count + 1
        }
    }
}
