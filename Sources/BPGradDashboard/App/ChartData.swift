import BPGradEngine
import Foundation

/// Turns the store's series into the dashboard's charts under the current view options:
/// one line per visible configuration, faint noise bands, markers, the shared x range and
/// the cursor readouts.
/// What every chart shares (visible set, x mappings, x range, markers) is worked out once in
/// `init`: a frame draws four charts, and on the time axis each mapping builds a table.
struct ChartData {
    let snapshot: SessionSnapshot
    let info: DashboardInfo
    let state: DashboardState
    /// Indices of the configurations the charts show.
    let visible: [Int]
    /// Step -> x on the current axis, per configuration, and for an index with no configuration.
    private let mappers: [(Double) -> Double], noConfigurationMapper: (Double) -> Double
    /// The leading visible configuration (the most steps), whose clock maps the time axis.
    private let lead: Int
    /// The x range every chart shares, on the current axis: the whole run, or the zoom window.
    private(set) var xBounds: ClosedRange<Double>?
    /// Every parameter change, fork, divergence and length mark of the visible configurations,
    /// exactly as it happened, however long the run.
    private(set) var markers: [LineChart.Marker] = []

    init(snapshot: SessionSnapshot, info: DashboardInfo, state: DashboardState) {
        self.snapshot = snapshot; self.info = info; self.state = state
        let configurations = snapshot.configurations
        visible = configurations.indices.filter { !state.hidden.contains(configurations[$0].name) }
        func mapper(_ m: ConfigurationMetrics?) -> (Double) -> Double {
            switch state.xAxis {
            case .step: return { $0 }
            case .epoch: let n = Double(info.stepsPerEpoch); return { $0 / n }
            case .time:
                let table = Self.wallTable(m)
                return { step in Self.interpolate(table, step) }
            }
        }
        mappers = configurations.map(mapper)
        noConfigurationMapper = mapper(nil)
        lead = visible.max { configurations[$0].step < configurations[$1].step } ?? 0
        xBounds = computeXBounds()
        markers = computeMarkers()
    }

    func color(_ i: Int) -> Color { Palette.color(forConfiguration: i) }

    /// Whether configuration `i` reports BPGrad's pruning quantities: by its kind's traits, or
    /// for a kind another program wrote, by whether its rows carry an eta.
    func prunes(_ i: Int) -> Bool { snapshot.configurations[i].prunes }

    // MARK: The x axis

    /// Step -> the x value of the current axis, for one configuration.
    func xMapper(_ i: Int) -> (Double) -> Double { mappers[safe: i] ?? noConfigurationMapper }

    private static func wallTable(_ m: ConfigurationMetrics?) -> [(Double, Double)] {
        guard let s = m?.series[.wallTime] else { return [] }
        return s.spans.flatMap { [($0.x0, $0.min), ($0.x1, $0.max)] } + s.recent.map { ($0.x, $0.y) }
    }

    static func interpolate(_ t: [(Double, Double)], _ x: Double) -> Double {
        guard let first = t.first, let last = t.last else { return 0 }
        if x <= first.0 { return first.1 }
        if x >= last.0 { return last.1 }
        var lo = 0, hi = t.count - 1
        while hi - lo > 1 { let mid = (lo + hi) / 2; if t[mid].0 <= x { lo = mid } else { hi = mid } }
        let (x0, y0) = t[lo], (x1, y1) = t[hi]
        // A weighted mean of the two ends: y1 - y0 could overflow (wall times of ±1e308).
        let w = (x - x0) / (x1 - x0)
        return x1 > x0 && w.isFinite ? y0 * (1 - w) + y1 * w : y0
    }

    /// Where the visible configurations' data starts and ends, in steps.
    private var stepBounds: (first: Double, last: Double)? {
        var first = Double.infinity, last = -Double.infinity
        for i in visible {
            guard let s = snapshot.configurations[i].series[.loss] else { continue }
            if let x = s.spans.first?.x0 ?? s.recent.first?.x { first = min(first, x) }
            if let x = s.recent.last?.x { last = max(last, x) }
        }
        return first <= last ? (first, last) : nil
    }

    /// A zoom window ends at the newest step and reaches back far enough that every visible
    /// configuration still training shows its last steps, whatever its speed.
    private func computeXBounds() -> ClosedRange<Double>? {
        guard let (first, last) = stepBounds else { return nil }
        var lo = first
        if let window = state.zoom.window {
            let training = visible.filter { !snapshot.configurations[$0].status.isDone }
            let slowest = training.map { Double(snapshot.configurations[$0].step) }.min() ?? last
            lo = max(first, min(last, slowest) - window)
        }
        let map = xMapper(lead)
        let a = map(lo), b = map(last)
        return a.isFinite && b.isFinite && b > a ? a...b : nil
    }

    var xLabel: @Sendable (Double) -> String {
        switch state.xAxis {
        case .step: return { NumberText.compact($0.rounded()) }
        case .epoch: return { NumberText.compact($0) }
        case .time: return { NumberText.duration($0) }
        }
    }

    // MARK: Series

    /// A configuration's series on the current axis: the line (smoothed when smoothing is
    /// on), and optionally the raw values' band behind it.
    func lines(_ i: Int, _ series: Series, name: String? = nil, band: Bool = false, smooth: Bool = true,
               draw: LineChart.Series.Draw = .line, faint: Bool = false, legend: Bool = true) -> [LineChart.Series] {
        guard let m = snapshot.configurations[safe: i], let s = m.series[series], !s.isEmpty || !s.spans.isEmpty else { return [] }
        let map = xMapper(i)
        let raw = s.recent.map { (x: map($0.x), y: $0.y) }
        let spans = s.spans.map { LineChart.Span(x0: map($0.x0), x1: map($0.x1), min: $0.min, max: $0.max, mean: $0.mean) }
        let label = name ?? m.label, tag = String(i + 1)
        var out = [LineChart.Series]()
        if band {
            out.append(LineChart.Series(name: label, color: color(i), points: raw, spans: spans, draw: .band, faint: true, legend: false))
        }
        let w = state.smoothing
        if smooth, w > 0, draw == .line {
            let (smoothedSpans, smoothedPoints) = Self.smooth(spans: spans, points: raw, weight: w)
            out.append(LineChart.Series(name: label, color: color(i), points: smoothedPoints, spans: smoothedSpans, faint: faint, legend: legend, tag: tag))
        } else {
            out.append(LineChart.Series(name: label, color: color(i), points: raw, spans: spans, draw: draw, faint: faint, legend: legend, tag: tag))
        }
        return out
    }

    /// TensorBoard's debiased exponential moving average over the bucket means, then the
    /// exact points; non-finite values pass through.
    static func smooth(spans: [LineChart.Span], points: [(x: Double, y: Double)], weight w: Double)
        -> ([LineChart.Span], [(x: Double, y: Double)]) {
        var ema = DebiasedEMA(weight: w)
        let s = spans.map { b -> LineChart.Span in
            let m = ema.add(b.mean)
            return LineChart.Span(x0: b.x0, x1: b.x1, min: m, max: m, mean: m)
        }
        return (s, points.map { ($0.x, ema.add($0.y)) })
    }

    // MARK: Markers, cursor, readouts

    private func computeMarkers() -> [LineChart.Marker] {
        var index = [String: Int]()
        for (i, m) in snapshot.configurations.enumerated() where index[m.name] == nil { index[m.name] = i }
        let shown = Set(visible)
        return snapshot.markers.compactMap { e in
            let i = index[e.solver]
            if let i, !shown.contains(i) { return nil }
            let color: Color
            switch e.kind {
            case .diverged: color = Palette.danger
            case .fork: color = i.map(self.color) ?? Palette.accent
            case .lengthReached: color = Palette.muted
            default: color = Palette.marker
            }
            return LineChart.Marker(x: xMapper(i ?? lead)(Double(e.step)), color: color, kind: e.kind)
        }
    }

    /// "@1234  ■0.123 ■0.045": every visible configuration's value of `series` at the cursor.
    func cursorReadout(_ charted: [LineChart.Series]) -> LineChart.Readout? {
        guard let x = state.cursor else { return nil }
        var segments: [(text: String, style: Style)] = [("@\(xLabel(x)) ", Style(fg: .white, bold: true))]
        for s in charted where s.legend && !s.faint && s.draw != .band {
            guard let v = Self.value(of: s, at: x) else { continue }
            segments.append(("■", Style(fg: s.color)))
            segments.append(("\(NumberText.compact(v)) ", Style(fg: s.color)))
        }
        return LineChart.Readout(segments)
    }

    /// The series' value nearest to x: an exact point, or the mean of the older span holding x.
    static func value(of s: LineChart.Series, at x: Double) -> Double? {
        if let first = s.points.first, x >= first.x {
            var lo = 0, hi = s.points.count - 1
            while lo < hi { let mid = (lo + hi) / 2; if s.points[mid].x < x { lo = mid + 1 } else { hi = mid } }
            let candidates = [lo - 1, lo].filter { s.points.indices.contains($0) }
            return candidates.min { abs(s.points[$0].x - x) < abs(s.points[$1].x - x) }.map { s.points[$0].y }
        }
        if let span = s.spans.first(where: { $0.x0 <= x && x <= $0.x1 }) ?? s.spans.min(by: { abs($0.x0 - x) < abs($1.x0 - x) }) {
            return span.mean
        }
        return s.points.first?.y
    }

    func chart(_ title: String, _ series: [LineChart.Series], readouts: [LineChart.Readout] = []) -> LineChart {
        var c = LineChart(title: title, series: series)
        c.markers = markers
        c.logScale = state.logScale
        c.xRange = xBounds
        c.xLabel = xLabel
        c.xUnit = state.xAxis.unit
        c.cursor = state.cursor
        c.readouts = (cursorReadout(series).map { [$0] } ?? []) + readouts
        return c
    }

    // MARK: The four charts

    var lossChart: LineChart {
        var all = [LineChart.Series]()
        for i in visible {
            all += lines(i, .loss, band: true)
            all += lines(i, .testLoss, smooth: false, draw: .scatter, legend: false)
        }
        return chart("loss", all)
    }

    /// BPGrad's eta beside every other solver's actual step length ‖x_{t+1} - x_t‖.
    var stepChart: LineChart {
        chart("step size", visible.flatMap { i in
            lines(i, prunes(i) ? .eta : .stepNorm, band: true)
        })
    }

    /// The pruned radius r_t of each pruning configuration, with the step it actually took
    /// (‖x_{t+1} - x_t‖, which differs from r_t once momentum is on), and L against the
    /// Lipschitz estimate from the iterates.
    var radiusChart: LineChart {
        let pruning = visible.filter { prunes($0) }
        var series = [LineChart.Series]()
        var readouts = [LineChart.Readout]()
        for i in pruning {
            series += lines(i, .stepNorm, smooth: false, faint: true, legend: false)
            series += lines(i, .radius, smooth: false)
            let m = snapshot.configurations[i]
            let l = m.hyper[BPGrad.lipschitzKey]?.number
            let est = m.latest?.telemetry.lipschitzEstimate, med = m.latest?.telemetry.lipschitzMedian
            let over = l.flatMap { l in est.map { $0 > l } } ?? false
            var segs: [(text: String, style: Style)] = [("■", Style(fg: color(i)))]
            segs.append(("L \(l.map(NumberText.compact) ?? "-") ", Style(fg: color(i))))
            segs.append(("est \(est.map(NumberText.compact) ?? "-")", over ? Style(fg: Palette.danger, bold: true) : Style(fg: .basic(7))))
            if over { segs.append((" > L!", Style(fg: Palette.danger, bold: true))) }
            segs.append((" med \(med.map(NumberText.compact) ?? "-")", Style(fg: .basic(7))))
            readouts.append(LineChart.Readout(segs))
        }
        if pruning.isEmpty {
            readouts.append(LineChart.Readout([("no BPGrad configuration is shown", Style(fg: Palette.muted))]))
        } else {
            readouts.append(LineChart.Readout([("r solid, step ‖Δx‖ faint; est = max secant |Δf|/‖Δx‖ of the last 100 steps", Style(fg: Palette.muted))]))
        }
        return chart("pruned radius r", series, readouts: readouts)
    }

    var fourthChart: LineChart {
        switch state.fourthChart {
        case .testAccuracy:
            var c = chart("test accuracy", visible.flatMap { lines($0, .testAccuracy, smooth: false) })
            c.yDomain = 0...1
            return c
        case .gradNorm:
            return chart("gradient norm ‖g‖", visible.flatMap { lines($0, .gradNorm, band: true) })
        }
    }

    /// The newest hyperparameter changes, newest first: "L 10 → 50 @16169".
    func recentChanges(limit: Int) -> [(text: String, color: Color)] {
        snapshot.markers.reversed().lazy.filter { $0.kind == .set }.prefix(limit).compactMap { e in
            guard let change = e.change else { return nil }
            let i = snapshot.index(of: e.solver)
            let m = i.map { snapshot.configurations[$0] }
            let symbol = (m.flatMap { try? $0.hyper.schema.info(change.key) })?.symbol ?? change.key.rawValue
            let who = snapshot.configurations.count > 1 ? "\((i ?? 0) + 1) " : ""
            return ("\(who)\(symbol) \(ParameterPanel.text(change.old))→\(ParameterPanel.text(change.new)) @\(e.step)", i.map(color) ?? Palette.marker)
        }
    }
}
