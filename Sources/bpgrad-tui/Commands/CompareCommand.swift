import ArgumentParser
import BPGradEngine
import Foundation

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Race several solvers on the same network headless, then print a comparison table."
    )

    @OptionGroup var experiment: ExperimentOptions
    @OptionGroup var runOptions: RunOptions

    func run() throws {
        let preset = try experiment.loadPreset()
        let specs = try runOptions.solverSpecs(preset)
        let setup = try Experiment(preset: preset)
        let directory = try runOptions.makeRunDirectory(preset)
        let session = try Session(experiment: setup, solvers: specs, runDirectory: directory, exitWhenDone: true)
        let stopper = SignalStopper { session.send(.stop) }
        session.start()

        let live = Console.stderrIsTerminal
        var printedLines = 0, lastPlain = 0.0
        while !session.wait(timeout: .now() + .milliseconds(live ? 200 : 1000)) {
            let snap = session.store.snapshot()
            if live {
                let up = printedLines > 0 ? "\u{1B}[\(printedLines)A" : ""
                Console.status(up + snap.solvers.map { "\u{1B}[2K" + progressLine($0) }.joined(separator: "\n") + "\n", sameLine: false)
                printedLines = snap.solvers.count
            } else if snap.elapsedSeconds - lastPlain >= 5 {
                lastPlain = snap.elapsedSeconds
                for s in snap.solvers { Console.status(progressLine(s), sameLine: false) }
            }
        }
        session.finish()
        stopper.cancel()
        let snap = session.store.snapshot()
        if live, printedLines > 0 {
            Console.status("\u{1B}[\(printedLines)A" + snap.solvers.map { "\u{1B}[2K" + progressLine($0) }.joined(separator: "\n") + "\n", sameLine: false)
        }
        print(ComparisonTable(snapshot: snap, batchSize: preset.training.batchSize).text)
        if let directory { print("\nrun directory: \(directory.path)") }
    }

    private func progressLine(_ s: SolverMetrics) -> String {
        let fraction = Double(s.step) / Double(max(s.totalSteps, 1))
        let loss = s.lossEMA.map(formatNumber) ?? "-"
        return "\(s.displayName.padding(toLength: 9, withPad: " ", startingAt: 0)) \(Console.bar(fraction, width: 20)) \(s.step)/\(s.totalSteps)  loss \(loss)  \(s.status)"
    }
}

/// The comparison table `compare` prints at the end.
struct ComparisonTable {
    let snapshot: SessionSnapshot
    let batchSize: Int

    var text: String {
        let header = ["solver", "status", "train loss (EMA)", "best test acc", "test loss", "samples/s", "steps"]
        let rows = snapshot.solvers.map { s -> [String] in
            let wall = (s.latest?.wallMilliseconds ?? 0) / 1000
            let rate = wall > 0 ? Double(s.step * batchSize) / wall : 0
            return [s.displayName, s.status.description, s.lossEMA.map(formatNumber) ?? "-",
                    s.bestTestAccuracy.map { String(format: "%.4f", $0) } ?? "-",
                    s.lastTestLoss.map(formatNumber) ?? "-", String(Int(rate.rounded())), String(s.step)]
        }
        let widths = header.indices.map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        return ([line(header), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line)).joined(separator: "\n")
    }
}
