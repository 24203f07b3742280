import BPGradEngine

/// The table `sweep` prints: the swept values, the final train loss, the test metric,
/// the steps to the target loss, and how each combination ended; best first.
struct SweepTable {
    let report: SweepReport
    let regression: Bool

    var text: String {
        let metric = regression ? "final test loss" : "best test acc"
        var header = report.keys + ["final train loss", metric]
        if let t = report.targetLoss { header.append("steps to \(NumberText.short(t))") }
        header.append("result")
        var rows = [[String]]()
        for r in report.rows { rows.append(cells(r)) }
        return TextTable.render(header: header, rows: rows)
    }

    private func cells(_ r: SweepReport.Row) -> [String] {
        let m = r.metrics
        var cells = r.values
        cells.append(m.lossEMA.map(NumberText.short) ?? "-")
        if regression {
            cells.append(m.lastTestLoss.map(NumberText.short) ?? "-")
        } else {
            cells.append(NumberText.accuracy(m.bestTestAccuracy))
        }
        if report.targetLoss != nil { cells.append(m.reachedTarget.map { String($0) } ?? "never") }
        if let at = r.divergedAt { cells.append("diverged at step \(at)") } else { cells.append(m.status.description) }
        return cells
    }
}
