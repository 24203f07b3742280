import ArgumentParser
import BPGradEngine
import Foundation

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train one solver on a preset without the dashboard, and print a summary."
    )

    @OptionGroup var experiment: ExperimentOptions

    @Option(name: .long, help: "The solver: bpgrad, adam, sgd, adagrad, adadelta or rmsprop (default: the preset's first).")
    var solver: String?

    @Option(name: .long, help: "Write one CSV row per step to this file, flushed as the run goes.")
    var log: String?

    @Option(name: .long, help: "Threads for each matrix product (oneDNN).")
    var threads = 1

    func run() throws {
        let preset = try experiment.loadPreset()
        let spec = try preset.solver(solver ?? preset.solvers.first?.kind ?? SGD.kind)
        setBLASThreads(threads)
        let setup = try Experiment(preset: preset)
        let trainer = try setup.makeTrainer(solver: spec)
        let steps = setup.totalSteps
        let writer = try log.map { path throws(EngineError) in try LineWriter(path: path, header: StepRow.header) }

        let live = Console.stderrIsTerminal
        var lastPrint = 0.0
        let run = TrainingRun(trainer: trainer, steps: steps, evalEvery: preset.training.evalEvery)
        let summary = run.run(log: writer) { row in
            let seconds = row.wallMilliseconds / 1000
            guard seconds - lastPrint >= (live ? 0.1 : 5) || row.step == steps else { return }
            lastPrint = seconds
            let rate = Double(row.step * preset.training.batchSize) / max(seconds, 1e-9)
            let eta = seconds / Double(row.step) * Double(steps - row.step)
            let text = "\(live ? Console.bar(Double(row.step) / Double(steps), width: 24) + " " : "")step \(row.step)/\(steps)  loss \(formatNumber(row.loss))  \(formatNumber(rate.rounded())) samples/s  ETA \(Console.duration(eta))"
            Console.status(text, sameLine: live)
        }
        if live { Console.status("", sameLine: false) }

        print("preset           \(preset.name)")
        print("solver           \(spec.displayName) (\(spec.resolved.values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")))")
        print("steps            \(summary.steps)" + (summary.divergedAt.map { "  (diverged at step \($0))" } ?? ""))
        print("final train loss \(formatNumber(summary.finalTrainLoss))  (mean of the last \(min(100, summary.steps)) steps)")
        print("test loss        \(summary.testLoss.map(formatNumber) ?? "-")")
        print("test accuracy    \(summary.testAccuracy.map { String(format: "%.4f", $0) } ?? "-")")
        print("samples/s        \(formatNumber(summary.samplesPerSecond.rounded()))")
        print("wall time        \(String(format: "%.2f", summary.wallSeconds)) s")
        if let path = writer?.path { print("log              \(path)") }
        if summary.divergedAt != nil { throw ExitCode(3) }
    }
}
