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

    @Option(name: .long, help: "OpenBLAS threads.")
    var threads = 1

    func validate() throws {
        guard (1...maxThreads).contains(threads) else {
            throw ValidationError("--threads must be between 1 and \(maxThreads) (this machine's processors), got \(threads)")
        }
    }

    /// SIGINT, SIGTERM and SIGHUP end the run after the current step: the log is flushed, the
    /// summary printed, and the exit code is 128 + the signal (130, 143, 129).
    func run() throws {
        let preset = try experiment.loadPreset()
        let spec = try preset.solver(solver ?? preset.solvers.first?.kind ?? SGD.kind)
        setBLASThreads(threads)
        let setup = try Experiment(preset: preset)
        if let note = setup.data.note { Console.error("note: dataset \(setup.data.name): \(note)") }
        let trainer = try setup.makeTrainer(solver: spec)
        let steps = setup.totalSteps
        let writer = try log.map { path throws(EngineError) in try LineWriter(path: path, header: StepRow.header) }

        let caught = Locked<Int32?>(nil)
        let stoppers = [SIGINT, SIGTERM, SIGHUP].map { s in SignalStopper(signals: [s]) { caught.withLock { $0 = $0 ?? s } } }
        defer { for stopper in stoppers { stopper.cancel() } }

        let live = Console.stderrIsTerminal
        var lastPrint = 0.0
        let run = TrainingRun(trainer: trainer, steps: steps, evalEvery: preset.training.evalEvery, shouldStop: { caught.withLock { $0 } != nil })
        let summary = run.run(log: writer) { row in
            let seconds = row.wallMilliseconds / 1000
            guard seconds - lastPrint >= (live ? 0.1 : 5) || row.step == steps else { return }
            lastPrint = seconds
            let rate = Double(row.step) * Double(preset.training.batchSize) / max(seconds, 1e-9)
            let eta = seconds / Double(row.step) * Double(steps - row.step)
            let text = "\(live ? Console.bar(Double(row.step) / Double(steps), width: 24) + " " : "")step \(row.step)/\(steps)  loss \(formatNumber(row.loss))  \(formatNumber(rate.rounded())) samples/s  ETA \(Console.duration(eta))"
            Console.status(text, sameLine: live)
        }
        if live { Console.status("", sameLine: false) }

        print("preset           \(preset.name)")
        print("solver           \(spec.displayName) (\(spec.resolved.values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")))")
        let signal = caught.withLock { $0 }
        let stopped = summary.stoppedEarly ? signal.map { "  (stopped by \(signalName($0)) after \(summary.steps) of \(steps))" } ?? "" : ""
        let failed = summary.logFailure != nil ? "  (stopped: the log could not be written)" : ""
        print("steps            \(summary.steps)" + (summary.divergedAt.map { "  (diverged at step \($0))" } ?? "") + stopped + failed)
        print("final train loss \(formatNumber(summary.finalTrainLoss))  (mean of the last \(min(100, summary.steps)) steps)")
        print("test loss        \(summary.testLoss.map(formatNumber) ?? "-")")
        print("test accuracy    \(summary.testAccuracy.map { String(format: "%.4f", $0) } ?? "-")")
        print("samples/s        \(formatNumber(summary.samplesPerSecond.rounded()))")
        print("wall time        \(String(format: "%.2f", summary.wallSeconds)) s")
        if let path = writer?.path { print("log              \(path)") }
        // Errors before exit codes: a log that could not be written is the news.
        try writer?.close()
        // The summary is a few hundred bytes, still in stdout's buffer when stdout is a file or a pipe.
        if fflush(nil) != 0 {
            throw EngineError.io(path: "standard output", message: "the summary could not be written (\(String(cString: strerror(errno))))")
        }
        if summary.stoppedEarly, let signal { throw ExitCode(128 + signal) }
        if summary.divergedAt != nil { throw ExitCode(3) }
    }
}

/// The most OpenBLAS threads a command accepts: the machine's processors. More only
/// oversubscribe the cores, and OpenBLAS can stall starting dozens of threads where memory
/// mappings are limited (the fuzz harness found it under an address-space limit).
let maxThreads = max(1, ProcessInfo.processInfo.activeProcessorCount)

func signalName(_ signal: Int32) -> String {
    switch signal {
    case SIGINT: "SIGINT"
    case SIGTERM: "SIGTERM"
    case SIGHUP: "SIGHUP"
    default: "signal \(signal)"
    }
}
