import BPGradDashboard
import CCairo
import Foundation

/// Lays out and paints one panel of a figure into its frame.
struct PanelPainter {
    let panel: FigurePanel
    let frame: FigureRect

    static let padding = 10.0
    static let tickFont = 9.5
    static let labelFont = 11.0
    static let legendFont = 10.0
    static let titleFont = 12.5

    /// The data ranges and ticks, computed before any drawing.
    struct Axes {
        var x0: Double, x1: Double
        /// In plotted units (log10 of the data on a log axis).
        var y0: Double, y1: Double
        var xTicks: [AxisTicks.Tick], yTicks: [AxisTicks.Tick]
        var hasData: Bool
        /// On a log axis cut at `AxisTicks.logDecades` below the top of the data: the power of
        /// ten at the bottom, below which values are drawn on the bottom edge. Nil otherwise.
        var clippedBelow: Int?
    }

    /// A legend entry: a series' swatch or a marker kind.
    enum LegendSwatch { case line(RGB), dots(RGB), marker(RGB, dashed: Bool) }
    struct LegendEntry { var swatch: LegendSwatch; var label: String; var width: Double }

    struct Layout {
        var plot: FigureRect
        var legendRows: [[LegendEntry]]
        var legendTop: Double
        var titleBaseline: Double?
    }

    /// y as plotted: log10 on a log axis (nil for values that cannot be shown).
    func plotted(_ y: Double) -> Double? {
        guard y.isFinite else { return nil }
        if panel.logY { return y > 0 ? log10(y) : nil }
        return y
    }

    func axes(plotWidth: Double, plotHeight: Double) -> Axes {
        var xs = (Double.infinity, -Double.infinity), ys = (Double.infinity, -Double.infinity)
        for s in panel.series {
            for p in s.points where p.x.isFinite {
                if let r = panel.xRange, !r.contains(p.x) { continue }
                guard plotted(p.y) != nil else { continue }
                xs = (min(xs.0, p.x), max(xs.1, p.x))
                ys = (min(ys.0, p.y), max(ys.1, p.y))
            }
        }
        let hasData = xs.0 <= xs.1
        var x0 = panel.xRange?.lowerBound ?? (hasData ? xs.0 : 0), x1 = panel.xRange?.upperBound ?? (hasData ? xs.1 : 1)
        if !x0.isFinite || !x1.isFinite { (x0, x1) = hasData ? xs : (0, 1) }
        if AxisScale(x0, x1) == nil {
            // One x (or two a rounding apart): half a step each way, or a sliver of a huge x.
            let pad = max(0.5, abs(x0) * 1e-9), big = Double.greatestFiniteMagnitude
            (x0, x1) = (max(-big, x0 - pad), min(big, x0 + pad))
        }
        // On a log axis, the dashboard's rule: fitted to what lies within logDecades of the
        // top, then cut at a whole power of ten at most logDecades below the top.
        let fitLow = panel.logY && ys.1 > 0 && ys.1.isFinite ? max(ys.0, ys.1 / pow(10, AxisTicks.logDecades)) : ys.0
        var yr = panel.yRange ?? (hasData ? AxisTicks.axisRange(min: fitLow, max: ys.1, log: panel.logY, padding: 0.04, domain: panel.yDomain) : nil)
        if yr == nil || (panel.logY && yr!.lowerBound <= 0) { yr = panel.logY ? 0.1...10 : 0...1 }
        var clippedBelow: Int?
        if panel.logY, panel.yRange == nil, let bottom = AxisTicks.logBottom(top: log10(yr!.upperBound)), log10(yr!.lowerBound) < bottom {
            let cut = pow(10, bottom)
            if cut > 0, cut < yr!.upperBound {
                yr = cut...yr!.upperBound
                if hasData, ys.0 < cut { clippedBelow = Int(max(-400, min(400, bottom))) }
            }
        }
        let yCount = max(2, Int(plotHeight / 42)), xCount = max(2, Int(plotWidth / 70))
        let xTicks = AxisTicks.linear(from: x0, to: x1, count: xCount)
        let yTicks = panel.logY ? AxisTicks.log(from: yr!.lowerBound, to: yr!.upperBound, count: yCount)
            : AxisTicks.linear(from: yr!.lowerBound, to: yr!.upperBound, count: yCount, domain: panel.yDomain)
        var y0 = panel.logY ? log10(yr!.lowerBound) : yr!.lowerBound, y1 = panel.logY ? log10(yr!.upperBound) : yr!.upperBound
        if AxisScale(y0, y1) == nil { (y0, y1) = panel.logY ? (-1, 1) : (0, 1) }
        return Axes(x0: x0, x1: x1, y0: y0, y1: y1, xTicks: xTicks, yTicks: yTicks, hasData: hasData, clippedBelow: clippedBelow)
    }

    func legendEntries(_ cr: OpaquePointer) -> [LegendEntry] {
        var entries: [LegendEntry] = []
        var seen = Set<String>()
        func add(_ swatch: LegendSwatch, _ label: String, key: String) {
            guard seen.insert(key).inserted else { return }
            entries.append(LegendEntry(swatch: swatch, label: label, width: 22 + Pen.textWidth(cr, label, size: Self.legendFont) + 14))
        }
        for s in panel.series where s.showInLegend && !s.faint {
            let c = s.color
            add(s.style == .dots ? .dots(c) : .line(c), s.label, key: "s\(s.label)\(c.red),\(c.green),\(c.blue)\(s.style == .dots)")
        }
        for m in panel.markers { add(.marker(m.color, dashed: m.dashed), m.kind.rawValue, key: "m\(m.kind.rawValue)") }
        return entries
    }

    /// The note of a clipped log axis, on the title's line: "▼ below 1e-8 drawn on the bottom edge".
    static func clipNote(_ a: Axes) -> String? {
        a.clippedBelow.map { "▼ below \(AxisTicks.powerOfTenLabel($0)) drawn on the bottom edge" }
    }

    func layout(_ cr: OpaquePointer, yTickLabels: [AxisTicks.Tick], note: Bool = false) -> Layout {
        let pad = Self.padding
        var top = frame.y + pad
        var titleBaseline: Double?
        if !(panel.title ?? "").isEmpty || note {
            titleBaseline = top + 12
            top += 20
        }
        let tickWidth = yTickLabels.map { tickLabelWidth(cr, $0) }.max() ?? 0
        let left = frame.x + pad + 16 + tickWidth + 8
        let right = frame.maxX - pad - 8
        // Legend rows wrap within the plot's width.
        var rows: [[LegendEntry]] = [], row: [LegendEntry] = [], used = 0.0
        for e in legendEntries(cr) {
            if !row.isEmpty, used + e.width > right - left { rows.append(row); row = []; used = 0 }
            row.append(e); used += e.width
        }
        if !row.isEmpty { rows.append(row) }
        let legendTop = top
        top += Double(rows.count) * 15 + (rows.isEmpty ? 0 : 6)
        let bottom = frame.maxY - pad - 16 - 16
        return Layout(plot: FigureRect(x: left, y: top, width: max(0, right - left), height: max(0, bottom - top)),
                      legendRows: rows, legendTop: legendTop, titleBaseline: titleBaseline)
    }

    func tickLabelWidth(_ cr: OpaquePointer, _ t: AxisTicks.Tick) -> Double {
        if let (mantissa, exponent) = Self.powerLabel(t) {
            return Pen.textWidth(cr, mantissa, size: Self.tickFont) + Pen.textWidth(cr, exponent, size: Self.tickFont * 0.75)
        }
        return Pen.textWidth(cr, t.label, size: Self.tickFont)
    }

    /// "1e-4" is set as 10 with a superscript -4.
    static func powerLabel(_ t: AxisTicks.Tick) -> (String, String)? {
        guard let p = t.power, t.label.hasPrefix("1e") else { return nil }
        return ("10", p < 0 ? "\u{2212}\(-p)" : "\(p)")
    }

    func paint(_ cr: OpaquePointer) {
        // The tick count depends on the plot's size and the plot's size on the labels' width:
        // a first estimate from the frame is close enough for both.
        let estimate = axes(plotWidth: frame.width - 90, plotHeight: frame.height - 90)
        let l = layout(cr, yTickLabels: estimate.yTicks, note: Self.clipNote(estimate) != nil)
        let plot = l.plot
        if let baseline = l.titleBaseline, let title = panel.title {
            Pen.text(cr, title, x: plot.x, y: baseline, size: Self.titleFont, bold: true)
        }
        paintLegend(cr, l)
        guard plot.width >= 30, plot.height >= 20 else { return }
        let a = axes(plotWidth: plot.width, plotHeight: plot.height)
        if var note = Self.clipNote(a) {
            // Beside the title, shortened to "▼ below 1e-8" where the two would touch.
            let titleEnd = plot.x + Pen.textWidth(cr, panel.title ?? "", size: Self.titleFont, bold: true)
            if titleEnd + 12 + Pen.textWidth(cr, note, size: Self.tickFont) > plot.maxX, let short = note.components(separatedBy: " drawn").first {
                note = short
            }
            Pen.text(cr, note, x: plot.maxX, y: l.titleBaseline ?? frame.y + Self.padding + 12, size: Self.tickFont,
                     color: CairoRenderer.axisInk, align: .right)
        }
        // Through AxisScale (spans of ±1e308 overflow), and clamped to a little beyond the plot:
        // cairo keeps coordinates in 24.8 fixed point, where a huge one wraps round.
        let xs = AxisScale(a.x0, a.x1) ?? AxisScale(0, 1)!, ys = AxisScale(a.y0, a.y1) ?? AxisScale(0, 1)!
        func px(_ x: Double) -> Double { plot.x + min(3, max(-2, xs.fraction(x) ?? -2)) * plot.width }
        func py(_ y: Double) -> Double { plot.maxY - min(3, max(-2, ys.fraction(y) ?? -2)) * plot.height }

        // Grid.
        cairo_set_line_width(cr, 0.5)
        Pen.color(cr, CairoRenderer.grid)
        for t in a.yTicks {
            guard let v = plotted(t.value) else { continue }
            let y = py(v).rounded() + 0.25
            cairo_move_to(cr, plot.x, y); cairo_line_to(cr, plot.maxX, y)
        }
        for t in a.xTicks {
            let x = px(t.value).rounded() + 0.25
            cairo_move_to(cr, x, plot.y); cairo_line_to(cr, x, plot.maxY)
        }
        cairo_stroke(cr)

        cairo_save(cr)
        cairo_rectangle(cr, plot.x, plot.y, plot.width, plot.height)
        cairo_clip(cr)
        paintMarkers(cr, plot: plot, a: a, px: px)
        let longest = panel.series.filter { !$0.faint && $0.style == .line }.map { Self.extent($0.points) }.max() ?? 0
        for i in Self.drawingOrder(panel.series) {
            let s = panel.series[i]
            // A line over a longer one gets a white outline, so it reads where it crosses it.
            let halo = !s.faint && s.style == .line && Self.extent(s.points) < longest
            paintSeries(cr, s, plot: plot, a: a, px: px, py: py, halo: halo)
        }
        cairo_restore(cr)

        if !a.hasData {
            Pen.text(cr, panel.emptyText, x: plot.x + plot.width / 2, y: plot.y + plot.height / 2, size: Self.labelFont,
                 color: CairoRenderer.axisInk, align: .center)
        }
        paintAxes(cr, plot: plot, a: a, px: px, py: py)
    }

    private func paintLegend(_ cr: OpaquePointer, _ l: Layout) {
        for (r, row) in l.legendRows.enumerated() {
            var x = l.plot.x
            let mid = l.legendTop + Double(r) * 15 + 7
            for e in row {
                switch e.swatch {
                case .line(let c):
                    // Filled, not stroked: the series' own path stays the only stroke in its colour.
                    Pen.color(cr, c)
                    cairo_rectangle(cr, x, mid - 1.25, 18, 2.5)
                    cairo_fill(cr)
                case .dots(let c):
                    Pen.color(cr, c)
                    cairo_arc(cr, x + 9, mid, 2.5, 0, 2 * .pi)
                    cairo_fill(cr)
                case .marker(let c, _):
                    Pen.color(cr, c)
                    cairo_rectangle(cr, x + 8.5, mid - 6, 1.2, 12)
                    cairo_fill(cr)
                }
                Pen.text(cr, e.label, x: x + 22, y: mid + 3.5, size: Self.legendFont)
                x += e.width
            }
        }
    }

    private func paintMarkers(_ cr: OpaquePointer, plot: FigureRect, a: Axes, px: (Double) -> Double) {
        // One path per colour and dash; every marker is drawn, none thinned out.
        var groups: [String: (RGB, Bool, [Double])] = [:]
        var order: [String] = []
        for m in panel.markers where m.x.isFinite && m.x >= a.x0 && m.x <= a.x1 {
            let key = "\(m.color.red),\(m.color.green),\(m.color.blue),\(m.dashed)"
            if groups[key] == nil { groups[key] = (m.color, m.dashed, []); order.append(key) }
            groups[key]!.2.append(px(m.x))
        }
        cairo_set_line_width(cr, 0.8)
        for key in order {
            let (color, dashed, xs) = groups[key]!
            Pen.color(cr, color, alpha: 0.85)
            if dashed { var dash: [Double] = [3, 2]; cairo_set_dash(cr, &dash, 2, 0) }
            for x in xs { cairo_move_to(cr, x, plot.y); cairo_line_to(cr, x, plot.maxY) }
            cairo_stroke(cr)
            cairo_set_dash(cr, nil, 0, 0)
        }
    }

    /// The order series are painted in: faint ones, then lines, then dots, and within each the
    /// longer (in x) before the shorter, so a short run is drawn over a long one rather than
    /// hidden under it. Equal lengths keep their order (the legend's).
    static func drawingOrder(_ series: [FigureSeries]) -> [Int] {
        func layer(_ s: FigureSeries) -> Int { s.faint ? 0 : s.style == .line ? 1 : 2 }
        let extents = series.map { extent($0.points) }
        return series.indices.sorted { i, j in
            let li = layer(series[i]), lj = layer(series[j])
            if li != lj { return li < lj }
            if extents[i] != extents[j] { return extents[i] > extents[j] }
            return i < j
        }
    }

    /// How far a series reaches in x (0 for fewer than two finite x).
    static func extent(_ points: [(x: Double, y: Double)]) -> Double {
        var lo = Double.infinity, hi = -Double.infinity
        for p in points where p.x.isFinite { lo = min(lo, p.x); hi = max(hi, p.x) }
        let span = hi - lo
        return span.isFinite && span > 0 ? span : hi > lo ? .greatestFiniteMagnitude : 0
    }

    private func paintSeries(_ cr: OpaquePointer, _ s: FigureSeries, plot: FigureRect, a: Axes,
                             px: (Double) -> Double, py: (Double) -> Double, halo: Bool = false) {
        let visible = visiblePoints(s.points, a: a, plotHeight: plot.height)
        // Lines at half a point; dots (4.4 pt wide) at two points, where more could not be told apart.
        let columns = s.style == .dots ? plot.width / 2 : plot.width * 2
        let points = ColumnDecimator.reduce(visible, x0: a.x0, x1: a.x1, columns: max(1, Int(columns)))
        guard !points.isEmpty else { return }
        Pen.color(cr, s.color, alpha: s.faint ? 0.28 : 1)
        switch s.style {
        case .dots:
            for p in points where p.y.isFinite {
                cairo_new_sub_path(cr)
                cairo_arc(cr, px(p.x), py(p.y), 2.2, 0, 2 * .pi)
            }
            cairo_fill(cr)
        case .line:
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
            cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND)
            var penDown = false
            for p in points {
                guard p.y.isFinite else { penDown = false; continue }
                let x = px(p.x), y = py(p.y)
                if penDown { cairo_line_to(cr, x, y) } else { cairo_move_to(cr, x, y); cairo_line_to(cr, x, y); penDown = true }
            }
            if halo {
                Pen.color(cr, RGB.white, alpha: 0.85)
                cairo_set_line_width(cr, 4)
                cairo_stroke_preserve(cr)
                Pen.color(cr, s.color)
            }
            cairo_set_line_width(cr, s.faint ? 0.9 : 1.5)
            cairo_stroke(cr)
        }
    }

    /// Points in plotted units inside the x range, plus the neighbour on each side so a line
    /// runs to the edge; values that cannot be plotted become breaks, and values below a
    /// clipped log axis lie on its bottom edge (1.5 pt above it, so the axis line leaves them
    /// in sight).
    private func visiblePoints(_ points: [(x: Double, y: Double)], a: Axes, plotHeight: Double) -> [(x: Double, y: Double)] {
        let lift = plotHeight > 0 ? (a.y1 - a.y0) * 1.5 / plotHeight : 0
        let floor = a.clippedBelow == nil ? -Double.infinity : a.y0 + (lift.isFinite ? lift : 0)
        var out: [(x: Double, y: Double)] = []
        out.reserveCapacity(points.count)
        var pendingLeft: (x: Double, y: Double)?
        var passedRight = false
        for p in points {
            guard p.x.isFinite else { continue }
            let y = plotted(p.y).map { max($0, floor) } ?? .nan
            if p.x < a.x0 { pendingLeft = (p.x, y); continue }
            if p.x > a.x1 {
                if !passedRight { out.append((p.x, y)); passedRight = true }
                continue
            }
            if let left = pendingLeft { out.append(left); pendingLeft = nil }
            passedRight = false
            out.append((p.x, y))
        }
        return out
    }

    private func paintAxes(_ cr: OpaquePointer, plot: FigureRect, a: Axes, px: (Double) -> Double, py: (Double) -> Double) {
        Pen.color(cr, CairoRenderer.axisInk)
        cairo_set_line_width(cr, 0.8)
        cairo_move_to(cr, plot.x, plot.y)
        cairo_line_to(cr, plot.x, plot.maxY)
        cairo_line_to(cr, plot.maxX, plot.maxY)
        for t in a.yTicks {
            guard let v = plotted(t.value) else { continue }
            cairo_move_to(cr, plot.x - 4, py(v)); cairo_line_to(cr, plot.x, py(v))
        }
        for t in a.xTicks {
            cairo_move_to(cr, px(t.value), plot.maxY); cairo_line_to(cr, px(t.value), plot.maxY + 4)
        }
        cairo_stroke(cr)
        for t in a.yTicks {
            guard let v = plotted(t.value) else { continue }
            let baseline = py(v) + 3.3
            if let (mantissa, exponent) = Self.powerLabel(t) {
                let ew = Pen.textWidth(cr, exponent, size: Self.tickFont * 0.75)
                Pen.text(cr, exponent, x: plot.x - 7, y: baseline - 4, size: Self.tickFont * 0.75, color: CairoRenderer.axisInk, align: .right)
                Pen.text(cr, mantissa, x: plot.x - 7 - ew, y: baseline, size: Self.tickFont, color: CairoRenderer.axisInk, align: .right)
            } else {
                Pen.text(cr, t.label, x: plot.x - 7, y: baseline, size: Self.tickFont, color: CairoRenderer.axisInk, align: .right)
            }
        }
        for t in a.xTicks {
            Pen.text(cr, t.label, x: px(t.value), y: plot.maxY + 15, size: Self.tickFont, color: CairoRenderer.axisInk, align: .center)
        }
        // Axis titles: x centred under the ticks, y rotated along the left edge.
        Pen.text(cr, panel.xLabel, x: plot.x + plot.width / 2, y: plot.maxY + 31, size: Self.labelFont, align: .center)
        cairo_save(cr)
        cairo_translate(cr, frame.x + Self.padding + 11, plot.y + plot.height / 2)
        cairo_rotate(cr, -.pi / 2)
        Pen.text(cr, panel.yLabel, x: 0, y: 0, size: Self.labelFont, align: .center)
        cairo_restore(cr)
    }
}
