import BPGradDashboard
import BPGradEngine
import BPGradFigures
import Foundation

/// What `e` writes: the screen as text, and the four charts as one SVG figure, side by side in
/// `folder`, named by the time.
enum ScreenExport {
    /// Writes both files; the message for the footer says where, or what failed.
    static func write(grid: Grid, view: DashboardView, xAxis: XAxis, title: String, folder: String) -> String {
        let f = DateFormatter()
        f.dateFormat = "HHmmss"
        let stamp = f.string(from: Date())
        let text = "\(folder)/screen-\(stamp).txt", svg = "\(folder)/charts-\(stamp).svg"
        // Both through Figure.writeFile: the folder may be a shared run directory, where a
        // link planted at a temporary name must not be written through.
        do {
            try Figure.writeFile(Array((grid.description + "\n").utf8), to: text, overwrite: true)
        } catch {
            return "could not write \(text): \(error)"
        }
        let xLabel = xAxis.axisLabel
        let figure = Figure(title: title, panels: view.charts.map { FigurePanel($0, xLabel: xLabel) }, columns: 2)
        do { try figure.write(to: svg, format: .svg) } catch {
            return "screen written to \(text); the charts could not be: \(error)"
        }
        return "screen written to \(text), charts to \(svg)"
    }
}
