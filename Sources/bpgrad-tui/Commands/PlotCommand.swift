import ArgumentParser
import BPGradDashboard
import BPGradEngine
import BPGradFigures
import Foundation

struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw one metric of one or more run directories as a publication figure (PNG, SVG or PDF).",
        discussion: """
        The series are the dashboard's: one line per configuration in its colour, TensorBoard's smoothing with the \
        raw values faint behind, test loss as dots, and parameter changes, forks, restarts and divergences as thin \
        vertical lines. A run that is still being written is drawn as far as it has got.
        """
    )

    @Argument(help: "Run directories (written by the dashboard, compare, sweep or bpgrad.RunWriter).")
    var directories: [String]

    @Option(name: .long, help: "What to draw; step_size is BPGrad's eta and the step norm ||x_{t+1} - x_t|| for the others.")
    var metric: RunPlot.Metric

    @Option(name: .long, help: "TensorBoard's smoothing weight in [0, 1); 0 is off.")
    var smooth = 0.0

    @Flag(name: .customLong("log-y"), help: "A log10 y axis (values <= 0 are left out).")
    var logY = false

    @Option(name: .customLong("x"), help: "The x axis; time is training time in seconds.")
    var xAxis: XAxis = .step

    @Option(name: .long, help: "The figure to write; the extension picks the format: .png, .svg or .pdf.")
    var out: String

    @Flag(name: .long, help: "Replace --out if it exists (without it, an existing file is refused).")
    var force = false

    func run() throws {
        // The output first: a typo in its name should not cost a read of a long run.
        let format = try FigureFormat(path: out)
        try Figure.checkWritable(out, overwrite: force)
        let plot = RunPlot(metric: metric, xAxis: xAxis, smoothing: smooth, logY: logY)
        let (figure, notes) = try plot.plot(directories: directories)
        // What was not drawn, one line per file, before the figure is written.
        for note in notes { Console.error("note: " + note) }
        try figure.write(to: out, format: format, overwrite: force)
        let lines = figure.panels.first?.series.filter { !$0.faint && $0.style == .line }.count ?? 0
        let markers = figure.panels.first?.markers.count ?? 0
        print("wrote \(out) (\(format.rawValue), \(lines) line\(lines == 1 ? "" : "s"), \(markers) marker\(markers == 1 ? "" : "s"))")
    }
}

extension RunPlot.Metric: ExpressibleByArgument {}
extension XAxis: ExpressibleByArgument {}
