import BPGradDashboard
import BPGradEngine
import Foundation

/// One metric of one or more run directories as a figure: what `bpgrad-tui plot` draws.
///
/// The series are the dashboard's: per configuration the metric against step, epoch or
/// training time, smoothed like TensorBoard (debiased EMA) with the raw values faint behind,
/// test loss as dots on the loss chart, and `set`, `restart`, `diverged` and `fork` events as
/// vertical markers. Runs are read with `RunReader` in bounded chunks and each series is kept
/// in bounded memory (`SeriesAccumulator`), so a million-step run plots in a few MB; markers
/// are kept up to `markersPerKind` per kind (evenly spread, the rest counted in a note).
/// What the reader skipped or refused comes back as notes, one line per file.
public struct RunPlot: Sendable {
    public enum Metric: String, CaseIterable, Sendable {
        case loss, testAccuracy = "test_accuracy", stepSize = "step_size", radius, gradNorm = "grad_norm"

        /// The y axis title.
        public var axisLabel: String {
            switch self {
            case .loss: "loss"
            case .testAccuracy: "test accuracy"
            case .stepSize: "step size (BPGrad: η, others: ‖Δx‖₂)"
            case .radius: "pruned radius r"
            case .gradNorm: "gradient norm ‖g‖₂"
            }
        }

        /// The panel's title.
        public var title: String {
            switch self {
            case .loss: "loss"
            case .testAccuracy: "test accuracy"
            case .stepSize: "step size"
            case .radius: "BPGrad's pruned radius"
            case .gradNorm: "gradient norm"
            }
        }

        /// The value a row has for this metric: the step size is eta for a pruning solver
        /// (`knownPrunes`, the registry's trait for a known kind, looked up once per line) and
        /// the step actually taken for the others; for a kind another writer named, a row that
        /// reports an eta is a pruning solver's.
        func value(_ row: StepRecord, knownPrunes: Bool?) -> Double? {
            switch self {
            case .loss: row.loss
            case .testAccuracy: row.test?.accuracy
            case .stepSize: knownPrunes ?? (row.telemetry.eta != nil) ? row.telemetry.eta : row.telemetry.stepNorm
            case .radius: row.telemetry.radius
            case .gradNorm: row.telemetry.gradNorm
            }
        }
    }

    public var metric: Metric
    public var xAxis: XAxis
    /// TensorBoard's smoothing weight in [0, 1); 0 draws the raw values only.
    public var smoothing: Double
    public var logY: Bool

    /// Events drawn as markers.
    static let markerKinds: Set<EventKind> = [.set, .restart, .diverged, .fork]
    /// Markers kept per kind and directory: more vertical lines than a figure has pixel
    /// columns (1,120 at 560 points and two pixels a point) cannot be told apart, and five
    /// million kept events took 1.37 GB.
    static let markersPerKind = 2048

    /// Every `stride`-th event of one kind, at most `markersPerKind` of them: when full, every
    /// other one goes and the stride doubles, so those kept stay evenly spread over the run.
    struct MarkerSample {
        /// With each event its place among all of the run's markers, to draw them in file order.
        var kept: [(order: Int, event: SessionEvent)] = []
        var seen = 0
        var stride = 1

        mutating func add(_ e: SessionEvent, order: Int) {
            defer { seen += 1 }
            guard seen % stride == 0 else { return }
            var e = e
            e.detail = ""  // only the place and the kind are drawn
            kept.append((order, e))
            if kept.count > RunPlot.markersPerKind {
                kept = kept.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
                stride *= 2
            }
        }
    }

    public init(metric: Metric, xAxis: XAxis = .step, smoothing: Double = 0, logY: Bool = false) {
        self.metric = metric; self.xAxis = xAxis; self.smoothing = smoothing; self.logY = logY
    }

    /// What was read of one configuration.
    struct Line {
        var configuration: RunManifest.Configuration
        var raw = SeriesAccumulator()
        var smooth = SeriesAccumulator()
        var dots = SeriesAccumulator()
        var ema: DebiasedEMA
        var lastEpoch: Int?
        /// Steps per epoch seen in the data: the step before a new epoch starts, per epoch.
        var derivedStepsPerEpoch: Double?
        var rows = 0
    }

    /// What was read of one directory.
    struct Run {
        var path: String
        var manifest: RunManifest?
        var lines: [Line] = []
        var markers: [EventKind: MarkerSample] = [:]
        var markersSeen = 0
        var rows = 0
        /// One line per file the reader refused or skipped rows of.
        var notes: [String] = []
    }

    /// Reads the directories and builds a one-panel figure.
    public func figure(directories: [String]) throws(FigureError) -> Figure {
        try plot(directories: directories).figure
    }

    /// The figure, and notes for stderr: files not read (a FIFO, a link...), malformed rows
    /// skipped per file, and markers left out.
    public func plot(directories: [String]) throws(FigureError) -> (figure: Figure, notes: [String]) {
        guard smoothing >= 0, smoothing < 1, smoothing.isFinite else {
            throw .invalidOption(field: "--smooth", message: "\(smoothing) is not a smoothing weight; give a number in [0, 1) such as 0.6 (0 turns smoothing off)")
        }
        guard !directories.isEmpty else { throw .invalidOption(field: "DIR", message: "give at least one run directory") }
        let runs = try directories.map { (d: String) throws(FigureError) -> Run in try read(d) }
        let figure = try makeFigure(runs)
        var notes: [String] = []
        for run in runs {
            notes += run.notes
            for kind in run.markers.keys.sorted(by: { $0.rawValue < $1.rawValue }) {
                let m = run.markers[kind]!
                if m.seen > m.kept.count { notes.append("\(run.path): \(m.seen) \(kind.rawValue) markers, \(m.kept.count) drawn (evenly spread over the run)") }
            }
        }
        return (figure, notes)
    }

    func read(_ path: String) throws(FigureError) -> Run {
        var reader = RunReader(path: path)
        var run = Run(path: path)
        var first = true
        while true {
            let delta: RunDelta
            do { delta = try reader.poll() } catch { throw .run(error) }
            if first, !delta.status.directoryExists { throw .noSuchDirectory(path: path) }
            first = false
            absorb(delta, into: &run)
            for case let .refused(file, why) in delta.issues { run.notes.append("\(path)/\(file): \(why)") }
            if delta.status.isCaughtUp { break }
        }
        let status = reader.status
        for (file, count) in status.malformedByFile.sorted(by: { $0.key < $1.key }) {
            var line = "\(path)/\(file): \(count) malformed row\(count == 1 ? "" : "s") skipped"
            if let first = status.firstMalformed, first.hasPrefix(file + " line ") { line += " (the first: \(first.dropFirst(file.count + 1)))" }
            run.notes.append(line)
        }
        return run
    }

    func absorb(_ delta: RunDelta, into run: inout Run) {
        if let m = delta.manifest {
            run.manifest = m
            for c in m.configurations where !run.lines.contains(where: { $0.configuration.name == c.name }) {
                run.lines.append(Line(configuration: c, ema: DebiasedEMA(weight: smoothing)))
            }
            // Display order is the manifest's.
            run.lines.sort { a, b in
                (m.configurations.firstIndex { $0.name == a.configuration.name } ?? .max) < (m.configurations.firstIndex { $0.name == b.configuration.name } ?? .max)
            }
        }
        for reset in delta.resets {
            if let name = reset.configuration, let i = run.lines.firstIndex(where: { $0.configuration.name == name }) {
                run.rows -= run.lines[i].rows
                run.lines[i] = Line(configuration: run.lines[i].configuration, ema: DebiasedEMA(weight: smoothing))
            } else if reset.configuration == nil {
                run.markers.removeAll()  // events.csv started over
            }
        }
        for i in run.lines.indices {
            guard let rows = delta.rows[run.lines[i].configuration.name] else { continue }
            add(rows, to: &run.lines[i])
            run.rows += rows.count
        }
        for e in delta.events where Self.markerKinds.contains(e.kind) {
            run.markers[e.kind, default: MarkerSample()].add(e, order: run.markersSeen)
            run.markersSeen += 1
        }
    }

    private func add(_ rows: [StepRecord], to line: inout Line) {
        let knownPrunes = SolverRegistry.descriptor(SolverKind(line.configuration.kind))?.traits.prunes
        for row in rows {
            line.rows += 1
            if let last = line.lastEpoch, row.epoch > last, line.derivedStepsPerEpoch == nil, row.epoch > 1 {
                line.derivedStepsPerEpoch = Double(row.step - 1) / Double(row.epoch - 1)
            }
            line.lastEpoch = row.epoch
            let x: Double
            switch xAxis {
            case .step, .epoch: x = Double(row.step)  // epochs are steps / steps per epoch, applied at the end
            case .time: x = row.wallMilliseconds / 1000
            }
            if metric == .loss, let t = row.test?.loss { line.dots.append(x: x, y: t) }
            guard let y = metric.value(row, knownPrunes: knownPrunes), y.isFinite else { continue }
            line.raw.append(x: x, y: y)
            if smoothing > 0 {
                line.smooth.append(x: x, y: line.ema.add(y))
            }
        }
    }

    func makeFigure(_ runs: [Run]) throws(FigureError) -> Figure {
        let paths = runs.map(\.path)
        guard runs.contains(where: { !($0.manifest?.configurations.isEmpty ?? true) }) else {
            throw .noData(metric: metric.rawValue, directories: paths,
                          detail: "no configurations: no run.json, and no CSV file with a 'step' column")
        }
        // Legend labels: run/label where the same label comes from several directories.
        var labelCount: [String: Int] = [:]
        for run in runs { for l in run.lines { labelCount[l.configuration.label, default: 0] += 1 } }
        let runNames = runs.map { Self.runName($0.path) }
        let runNamesClash = Set(runNames).count < runNames.count

        var series: [FigureSeries] = [], markers: [FigureMarker] = []
        var index = 0
        var hasTestDots = false
        for (r, run) in runs.enumerated() {
            var scale = 1.0
            if xAxis == .epoch {
                guard let spe = run.manifest?.stepsPerEpoch.map(Double.init) ?? run.lines.lazy.compactMap(\.derivedStepsPerEpoch).first,
                      spe > 0 else { throw .epochUnknown(path: run.path) }
                scale = 1 / spe
            }
            let mapX: (Double) -> Double = { $0 * scale }
            for line in run.lines {
                defer { index += 1 }
                let c = line.configuration
                let label = runs.count > 1 && (labelCount[c.label] ?? 0) > 1 ? "\(runNamesClash ? run.path : runNames[r])/\(c.label)" : c.label
                let color = FigureColors.configuration(index)
                guard !line.raw.isEmpty || !line.dots.isEmpty else { continue }
                let raw = line.raw.points(mapX: mapX)
                if smoothing > 0 {
                    series.append(FigureSeries(label: label, color: color, points: raw, faint: true))
                    series.append(FigureSeries(label: label, color: color, points: line.smooth.points(mapX: mapX)))
                } else {
                    series.append(FigureSeries(label: label, color: color, points: raw))
                }
                if !line.dots.isEmpty {
                    hasTestDots = true
                    series.append(FigureSeries(label: "\(label) test", color: color, points: line.dots.points(mapX: mapX), style: .dots,
                                               showInLegend: false))
                }
            }
            for e in run.markers.values.flatMap(\.kept).sorted(by: { $0.order < $1.order }).map(\.event) {
                let x: Double
                switch xAxis {
                case .step: x = Double(e.step)
                case .epoch: x = Double(e.step) * scale
                case .time: x = e.wallMilliseconds / 1000
                }
                guard x.isFinite else { continue }
                let style = FigureColors.marker(kind: e.kind)
                markers.append(FigureMarker(x: x, color: style.color, kind: e.kind, dashed: style.dashed))
            }
        }
        guard !series.isEmpty else {
            throw .noData(metric: metric.rawValue, directories: paths, detail: noDataReason(runs))
        }
        if hasTestDots {
            // One legend entry says what the dots are, in a neutral colour.
            series.append(FigureSeries(label: "test loss (dots)", color: RGB(110, 110, 110), points: [], style: .dots, showInLegend: true))
        }
        let presets = Array(Set(runs.compactMap { $0.manifest?.preset })).sorted()
        var title = metric.title
        if !presets.isEmpty { title += " · " + presets.joined(separator: ", ") }
        if smoothing > 0 { title += " · smoothed \(NumberText.exact(smoothing))" }
        var panel = FigurePanel(title: title, xLabel: xAxis.axisLabel, yLabel: metric.axisLabel + (logY ? " (log scale)" : ""),
                                series: series, markers: markers, logY: logY,
                                yDomain: metric == .testAccuracy && !logY ? 0...1 : nil)
        // Steps, epochs and seconds count from zero: start the axis there when the data
        // starts near it, as it does unless every configuration is a late fork.
        let xs = series.flatMap { $0.points.map(\.x) }.filter(\.isFinite)
        if let lo = xs.min(), let hi = xs.max(), lo >= 0, hi > 0, lo <= 0.05 * hi { panel.xRange = 0...hi }
        return Figure(panels: [panel])
    }

    private func noDataReason(_ runs: [Run]) -> String {
        let rows = runs.reduce(0) { $0 + $1.rows }
        if rows == 0 { return "the configurations' CSV files have no rows yet" }
        switch metric {
        case .radius:
            return "\(rows) rows were read, but none has a 'radius' value: only BPGrad configurations have a pruned radius"
        case .testAccuracy:
            return "\(rows) rows were read, but none has a 'test_accuracy' value: the run made no evaluation yet, or its task is a regression"
        default:
            return "\(rows) rows were read, but none has a finite value in this column"
        }
    }

    static func runName(_ path: String) -> String {
        let trimmed = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        return trimmed.split(separator: "/").last.map(String.init) ?? trimmed
    }

}
