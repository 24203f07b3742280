import BPGradEngine
import Foundation

/// Turns the store's series into chart lines under the current view options.
struct ChartData {
    let snapshot: SessionSnapshot
    let info: DashboardInfo
    let state: DashboardState

    /// Step -> the x value of the current axis, for one solver.
    func xMapper(solver: Int) -> (Double) -> Double {
        switch state.xAxis {
        case .step: return { $0 }
        case .epoch: let n = Double(info.stepsPerEpoch); return { $0 / n }
        case .time:
            let table = wallTable(snapshot.solvers[safe: solver])
            return { step in Self.interpolate(table, step) }
        }
    }

    private func wallTable(_ m: SolverMetrics?) -> [(Double, Double)] {
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
        return x1 > x0 ? y0 + (y1 - y0) * (x - x0) / (x1 - x0) : y0
    }

    /// A solver's series as chart lines: smoothed (with the raw values faint) when smoothing is on.
    func lines(solver i: Int, _ series: Series, name: String? = nil, scatter: Bool = false, legend: Bool = true) -> [LineChart.Series] {
        guard let m = snapshot.solvers[safe: i], let s = m.series[series], !s.isEmpty || !s.spans.isEmpty else { return [] }
        let map = xMapper(solver: i)
        let color = Palette.color(forSolver: m.kind)
        let raw = s.recent.map { (x: map($0.x), y: $0.y) }
        let spans = s.spans.map { (x0: map($0.x0), x1: map($0.x1), min: $0.min, max: $0.max) }
        var main = LineChart.Series(name: name ?? m.displayName, color: color, points: raw, scatter: scatter)
        main.legend = legend
        let w = state.smoothing
        guard w > 0, !scatter else { main.spans = spans; return [main] }
        var faint = LineChart.Series(name: main.name, color: color, points: raw, faint: true)
        faint.spans = spans
        main.points = Self.smooth(raw, weight: w)
        return [faint, main]
    }

    /// TensorBoard's debiased exponential moving average; non-finite values pass through.
    static func smooth(_ points: [(x: Double, y: Double)], weight w: Double) -> [(x: Double, y: Double)] {
        var last = 0.0, n = 0.0
        return points.map { p in
            guard p.y.isFinite else { return p }
            last = last * w + (1 - w) * p.y
            n += 1
            return (p.x, last / (1 - pow(w, n)))
        }
    }

    /// Vertical markers: parameter changes and divergences since the last restart.
    var markers: [LineChart.Marker] {
        let since = snapshot.events.last { $0.kind == "restart" }?.wallMilliseconds ?? -1
        return snapshot.events.compactMap { e in
            guard e.wallMilliseconds >= since, e.kind == "set" || e.kind == "diverged" else { return nil }
            let i = snapshot.solvers.firstIndex { $0.kind == e.solver } ?? 0
            return LineChart.Marker(x: xMapper(solver: i)(Double(e.step)), color: e.kind == "diverged" ? Palette.danger : Palette.marker)
        }
    }

    /// The zoom window on the current axis, or nil for the whole run.
    var xRange: ClosedRange<Double>? {
        guard let window = state.zoom.window else { return nil }
        let latest = Double(snapshot.solvers.map(\.step).max() ?? 0)
        let lead = snapshot.solvers.firstIndex { Double($0.step) == latest } ?? 0
        let map = xMapper(solver: lead)
        let lo = map(max(0, latest - window)), hi = map(latest)
        return hi > lo ? lo...hi : nil
    }

    var xLabel: @Sendable (Double) -> String {
        switch state.xAxis {
        case .step: return { NumberFormat.compact($0.rounded()) }
        case .epoch: return { String(format: "ep %.1f", $0) }
        case .time: return { NumberFormat.duration($0) }
        }
    }

    func chart(_ title: String, _ series: [LineChart.Series]) -> LineChart {
        var c = LineChart(title: title, series: series)
        c.markers = markers
        c.logScale = state.logScale
        c.xRange = xRange
        c.xLabel = xLabel
        return c
    }

    var lossChart: LineChart {
        var all = [LineChart.Series]()
        for i in snapshot.solvers.indices {
            all += lines(solver: i, .loss)
            all += lines(solver: i, .testLoss, scatter: true, legend: false)
        }
        return chart("loss", all)
    }

    /// BPGrad's eta beside every other solver's actual step length.
    var stepChart: LineChart {
        chart("step size", snapshot.solvers.indices.flatMap { i in
            lines(solver: i, snapshot.solvers[i].kind == BPGrad.kind ? .eta : .stepNorm)
        })
    }

    var radiusChart: LineChart {
        let bp = snapshot.solvers.firstIndex { $0.kind == BPGrad.kind }
        var c = chart("pruned radius r", bp.map { lines(solver: $0, .radius) } ?? [])
        if let bp, let t = snapshot.solvers[bp].latest?.telemetry {
            let l = snapshot.solvers[bp].hyper.number("lipschitz")
            c.readout = "L \(NumberFormat.compact(l))  est. max \(t.lipschitzEstimate.map(NumberFormat.compact) ?? "-") med \(t.lipschitzMedian.map(NumberFormat.compact) ?? "-")"
        } else if bp == nil {
            c.readout = "BPGrad is not in this session"
        }
        return c
    }

    var fourthChart: LineChart {
        switch state.fourthChart {
        case .testAccuracy: return chart("test accuracy", snapshot.solvers.indices.flatMap { lines(solver: $0, .testAccuracy) })
        case .gradNorm: return chart("gradient norm ‖g‖", snapshot.solvers.indices.flatMap { lines(solver: $0, .gradNorm) })
        }
    }
}
