import ArgumentParser
import BPGradDashboard
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
        Console.noteSplit(setup.data)
        let directory = try runOptions.makeRunDirectory(setup, configurations, totalSteps: setup.totalSteps)
        let session = try Session(experiment: setup, configurations: configurations, runDirectory: directory, options: .headless)
        let stopper = StopSignals { session.send(.stop) }
        session.start()
        let progress = ProgressLines()
        while !session.wait(timeout: .now() + .milliseconds(200)) {
            let snap = session.store.snapshot()
            progress.show(Self.progressLines(snap.configurations), at: snap.elapsedSeconds)
        }
        session.finish()
        stopper.cancel()
        let snap = session.store.snapshot()
        progress.show(Self.progressLines(snap.configurations), at: snap.elapsedSeconds, force: true)
        print(ComparisonTable(snapshot: snap).text)
        if let directory { print("\nrun directory: \(directory.path)") }
        let failures = snap.alerts + [directory?.writeFailure?.description].compactMap { $0 } + snap.configurations.compactMap { if case .error(let m) = $0.status { "\($0.label): \(m)" } else { nil } }
        if !failures.isEmpty {
            for f in Set(failures).sorted() { Console.error("error: \(f)") }
            throw ExitCode(1)
        }
        try stopper.exitIfStopped()
    }

    /// One line per configuration that `including` accepts. The labels are fitted among all of
    /// them (`LabelFit`): whole where the line has room (piped output: always), else shortened
    /// where they agree, so two configurations never read the same.
    static func progressLines(_ all: [ConfigurationMetrics], width: Int = Console.stderrIsTerminal ? Console.width : .max,
                              including: (ConfigurationMetrics) -> Bool = { _ in true }) -> [String] {
        // What follows the label takes about 70 columns (bar, steps, loss, rate, status).
        let longest = all.map(\.label.count).max() ?? 0
        let labelWidth = max(14, min(longest, width - 70))
        let labels = LabelFit.fit(all.map(\.label), width: labelWidth)
        return zip(all, labels).filter { including($0.0) }.map { s, label in
            let fraction = Double(s.step) / Double(max(s.totalSteps, 1))
            let loss = s.lossEMA.map(NumberText.short) ?? "-"
            return "\(label.padding(toLength: labelWidth, withPad: " ", startingAt: 0)) \(Console.bar(fraction, width: 20)) \(s.step)/\(s.totalSteps)  loss \(loss)  \(NumberText.short(s.samplesPerSecond.rounded())) samples/s  \(s.status)"
        }
    }
}
