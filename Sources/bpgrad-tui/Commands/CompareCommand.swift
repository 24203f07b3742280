import ArgumentParser
import BPGradEngine
import Foundation

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Race several configurations on the same network headless, then print a comparison table."
    )

    @OptionGroup var experiment: ExperimentOptions
    @OptionGroup var runOptions: RunOptions

    func run() throws {
        let preset = try experiment.loadPreset()
        let configurations = try runOptions.configurations(preset)
        let setup = try Experiment(preset: preset)
        let directory = try runOptions.makeRunDirectory(setup, configurations, totalSteps: setup.totalSteps)
        let session = try Session(experiment: setup, configurations: configurations, runDirectory: directory, options: .headless)
        let stopper = SignalStopper { session.send(.stop) }
        session.start()
        let progress = ProgressLines()
        while !session.wait(timeout: .now() + .milliseconds(200)) {
            let snap = session.store.snapshot()
            progress.show(snap.configurations.map(Self.progressLine), at: snap.elapsedSeconds)
        }
        session.finish()
        stopper.cancel()
        let snap = session.store.snapshot()
        progress.show(snap.configurations.map(Self.progressLine), at: snap.elapsedSeconds, force: true)
        print(ComparisonTable(snapshot: snap).text)
        if let directory { print("\nrun directory: \(directory.path)") }
        let failures = snap.alerts + snap.configurations.compactMap { if case .error(let m) = $0.status { "\($0.label): \(m)" } else { nil } }
        if !failures.isEmpty {
            for f in Set(failures).sorted() { Console.error("error: \(f)") }
            throw ExitCode(1)
        }
    }

    static func progressLine(_ s: ConfigurationMetrics) -> String {
        let fraction = Double(s.step) / Double(max(s.totalSteps, 1))
        let loss = s.lossEMA.map(formatNumber) ?? "-"
        return "\(s.label.padding(toLength: 14, withPad: " ", startingAt: 0)) \(Console.bar(fraction, width: 20)) \(s.step)/\(s.totalSteps)  loss \(loss)  \(formatNumber(s.samplesPerSecond.rounded())) samples/s  \(s.status)"
    }
}

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
            let loss: String = s.lossEMA.map(formatNumber) ?? "-"
            let accuracy: String = s.bestTestAccuracy.map { String(format: "%.4f", $0) } ?? "-"
            let test: String = s.lastTestLoss.map(formatNumber) ?? "-"
            let tail: [String] = [loss, accuracy, test, String(Int(s.samplesPerSecond.rounded())), String(s.step)]
            return [s.label, s.status.description] + values + tail
        }
        let widths = header.indices.map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        return ([line(header), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line)).joined(separator: "\n")
    }
}
