/// The outcome of a sweep, one row per combination, sorted best first: by best test accuracy
/// (classification) or final test loss (regression), diverged and unfinished ones last.
/// What `sweep` prints and writes to sweep.csv.
public struct SweepReport: Sendable {
    public struct Row: Sendable {
        /// The swept values, in the grid's key order.
        public var values: [String]
        public var metrics: ConfigurationMetrics

        public var divergedAt: Int? {
            switch metrics.status {
            case .diverged(let step): return step
            default: return nil
            }
        }
    }

    public var keys: [String]
    public var rows: [Row]
    public var targetLoss: Double?

    public init(grid: SweepGrid, snapshot: SessionSnapshot, targetLoss: Double?) {
        keys = grid.axes.map(\.key)
        self.targetLoss = targetLoss
        rows = snapshot.configurations.map { m in
            let values = grid.axes.map { axis in
                m.hyper.schema.key(named: axis.key).flatMap { m.hyper[$0]?.description } ?? "-"
            }
            return Row(values: values, metrics: m)
        }
        rows.sort { a, b in Self.rank(a) < Self.rank(b) }
    }

    /// Smaller is better: finished before diverged, then by the test metric.
    private static func rank(_ r: Row) -> (Int, Double) {
        let m = r.metrics
        if r.divergedAt != nil { return (2, -Double(r.divergedAt!)) }
        if let acc = m.bestTestAccuracy { return (0, -acc) }
        if let loss = m.lastTestLoss, loss.isFinite { return (0, loss) }
        return (1, m.lossEMA ?? .infinity)
    }

    public static let columns = ["name", "status", "steps", "final_loss", "best_test_accuracy", "final_test_loss", "steps_to_target", "diverged_at"]

    /// sweep.csv: the swept keys, then `columns`.
    public var csv: String {
        var text = (keys + Self.columns).joined(separator: ",") + "\n"
        for r in rows { text += Self.line(r) + "\n" }
        return text
    }

    private static func line(_ r: Row) -> String {
        let m = r.metrics
        var cells = r.values
        cells.append(m.name)
        cells.append(m.status.description)
        cells.append(String(m.step))
        cells.append(NumberText.csv(m.lossEMA))
        cells.append(NumberText.csv(m.bestTestAccuracy))
        cells.append(NumberText.csv(m.lastTestLoss))
        cells.append(m.reachedTarget.map { String($0) } ?? "")
        cells.append(r.divergedAt.map { String($0) } ?? "")
        var quoted = [String]()
        for c in cells { quoted.append(c.contains(",") ? "\"" + c + "\"" : c) }
        return quoted.joined(separator: ",")
    }
}

import Foundation
