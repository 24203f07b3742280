import BPGradEngine

/// The comparison table `compare` prints at the end: one row per configuration, with a column
/// for every hyperparameter whose value differs between configurations.
struct ComparisonTable {
    let snapshot: SessionSnapshot

    /// Keys (with their symbols) whose values differ among the configurations that have them.
    var differing: [(key: HyperKey, symbol: String)] {
        var seen = [HyperKey: (symbol: String, values: Set<String>)]()
        var order = [HyperKey]()
        for m in snapshot.configurations {
            for info in m.hyper.infos {
                if seen[info.key] == nil { order.append(info.key); seen[info.key] = (info.symbol, []) }
                seen[info.key]!.values.insert(m.hyper[info.key]?.description ?? "")
            }
        }
        return order.compactMap { k in seen[k]!.values.count > 1 ? (k, seen[k]!.symbol) : nil }
    }

    var text: String {
        let keys = differing
        let header = ["configuration", "status"] + keys.map(\.symbol) + ["train loss (EMA)", "best test acc", "test loss", "samples/s", "steps"]
        let rows = snapshot.configurations.map { s -> [String] in
            let values: [String] = keys.map { s.hyper[$0.key]?.description ?? "-" }
            let loss: String = s.lossEMA.map(NumberText.short) ?? "-"
            let accuracy: String = NumberText.accuracy(s.bestTestAccuracy)
            let test: String = s.lastTestLoss.map(NumberText.short) ?? "-"
            let tail: [String] = [loss, accuracy, test, String(Int(s.samplesPerSecond.rounded())), String(s.step)]
            return [s.label, s.status.description] + values + tail
        }
        return TextTable.render(header: header, rows: rows)
    }
}
