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
        Console.noteSplit(setup.data)
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
        let loss = s.lossEMA.map(NumberText.short) ?? "-"
        return "\(s.label.padding(toLength: 14, withPad: " ", startingAt: 0)) \(Console.bar(fraction, width: 20)) \(s.step)/\(s.totalSteps)  loss \(loss)  \(NumberText.short(s.samplesPerSecond.rounded())) samples/s  \(s.status)"
    }
}
