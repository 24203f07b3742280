/// One chart of a figure: series, markers and the axes they are drawn on.
public struct FigurePanel: Sendable {
    public var title: String?
    /// Axis titles with units, e.g. "training time (s)".
    public var xLabel: String
    public var yLabel: String
    public var series: [FigureSeries]
    public var markers: [FigureMarker]
    /// log10 y axis; values <= 0 are left out.
    public var logY: Bool
    /// The x range shown; nil fits the data.
    public var xRange: ClosedRange<Double>?
    /// The y range shown; nil fits the data (padded, see `AxisTicks.axisRange`).
    public var yRange: ClosedRange<Double>?
    /// Where y can lie at all (0...1 for accuracy): a fitted range never leaves it.
    public var yDomain: ClosedRange<Double>?
    /// Shown in the middle of the plot when there is nothing to draw.
    public var emptyText = "no data"

    public init(title: String? = nil, xLabel: String, yLabel: String, series: [FigureSeries], markers: [FigureMarker] = [],
                logY: Bool = false, xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil,
                yDomain: ClosedRange<Double>? = nil) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.series = series; self.markers = markers
        self.logY = logY; self.xRange = xRange; self.yRange = yRange; self.yDomain = yDomain
    }
}
