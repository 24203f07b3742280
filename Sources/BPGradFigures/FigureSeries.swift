/// One line (or set of dots) in a panel, as plain data.
public struct FigureSeries: Sendable {
    public enum Style: Sendable, Equatable {
        /// A polyline through the points; a non-finite y (or y <= 0 on a log axis) breaks it.
        case line
        /// A dot at each point (test loss at evaluations).
        case dots
    }

    public var label: String
    public var color: RGB
    /// Drawn thin and translucent behind the others, and left out of the legend (the raw
    /// values under a smoothed line).
    public var faint: Bool
    public var style: Style
    public var showInLegend: Bool
    /// Points in drawing order (x increasing for a line). Any number: a long series is reduced
    /// to the first, lowest, highest and last point of each pixel column when drawn. To draw
    /// min/max buckets (the dashboard's older history), pass each as (x0, min), (x1, max).
    public var points: [(x: Double, y: Double)]

    public init(label: String, color: RGB, points: [(x: Double, y: Double)], faint: Bool = false, style: Style = .line,
                showInLegend: Bool? = nil) {
        self.label = label; self.color = color; self.points = points; self.faint = faint; self.style = style
        self.showInLegend = showInLegend ?? !faint
    }
}
