import BPGradDashboard

extension FigurePanel {
    /// A dashboard chart as a figure panel: the same lines, faint bands, dots and markers, in
    /// the paper versions of the same colours (the dashboard's `e` export).
    public init(_ chart: LineChart, xLabel: String) {
        var series = [FigureSeries]()
        for s in chart.series {
            let color = FigureColors.series(s.color)
            switch s.draw {
            case .band:
                // Older history as its (x0, min), (x1, max) zigzag, recent points as they are.
                let points = s.spans.flatMap { [(x: $0.x0, y: $0.min), (x: $0.x1, y: $0.max)] } + s.points
                series.append(FigureSeries(label: s.name, color: color, points: points, faint: true))
            case .line:
                let points = s.spans.map { (x: ($0.x0 + $0.x1) / 2, y: $0.mean) } + s.points
                series.append(FigureSeries(label: s.name, color: color, points: points, faint: s.faint, showInLegend: s.legend && !s.faint))
            case .scatter:
                series.append(FigureSeries(label: s.name, color: color, points: s.points, style: .dots, showInLegend: s.legend))
            }
        }
        let markers = chart.markers.compactMap { m in
            // A fork in its configuration's colour; the others as `plot` draws them.
            m.kind.map { kind in
                let style = FigureColors.marker(kind: kind)
                return FigureMarker(x: m.x, color: kind == .fork ? FigureColors.series(m.color) : style.color, kind: kind, dashed: style.dashed)
            }
        }
        self.init(title: chart.title, xLabel: xLabel, yLabel: chart.title, series: series, markers: markers, logY: chart.logScale,
                  xRange: chart.xRange, yDomain: chart.yDomain)
    }
}
