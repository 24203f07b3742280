/// One chart of the dashboard: its name and how it is built from the chart data. The view lays
/// the list out two to a row; adding a chart is one entry here.
struct ChartDefinition: Sendable {
    let name: String
    let build: @Sendable (ChartData) -> LineChart

    static let all: [ChartDefinition] = [
        ChartDefinition(name: "loss") { $0.lossChart },
        ChartDefinition(name: "step size") { $0.stepChart },
        ChartDefinition(name: "pruned radius") { $0.radiusChart },
        ChartDefinition(name: "test accuracy or gradient norm") { $0.fourthChart },
    ]

    /// Two charts to a row, rows sharing the height.
    static func areas(_ count: Int, in area: Rect) -> [Rect] {
        guard count > 0 else { return [] }
        let rows = area.rows((count + 1) / 2)
        return (0..<count).map { i in
            let row = rows[i / 2]
            return i / 2 == rows.count - 1 && count % 2 == 1 ? row : row.columns(2)[i % 2]
        }
    }
}
