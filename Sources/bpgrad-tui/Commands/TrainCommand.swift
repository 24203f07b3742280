import ArgumentParser
import BPGradEngine
import Foundation

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train one solver on a preset without the dashboard, and print a summary."
    )

    @OptionGroup var experiment: ExperimentOptions

    @Option(name: .long, help: ArgumentHelp("One configuration: solver[:key=value...][@label], e.g. bpgrad:lipschitz=50. Solvers: \(SolverRegistry.kindList). Default: the preset's first.", valueName: "configuration"))
    var solver: String?

    @Option(name: .long, help: "Write one CSV row per step to this file, flushed as the run goes (a new file, unless --force).")
    var log: String?

    @Flag(name: .long, help: "Let --log write over an existing file.")
    var force = false

    @Option(name: .long, help: "Threads for each matrix product (oneDNN).")
    var threads = 1

    func validate() throws {
        if force, log == nil { throw ValidationError("--force lets --log write over an existing file; give --log FILE with it") }
        guard (1...maxThreads).contains(threads) else {
            throw ValidationError("--threads must be between 1 and \(maxThreads) (this machine's processors), got \(threads)")
        }
    }

    /// SIGINT, SIGTERM and SIGHUP end the run after the current step: the log is flushed, the
    /// summary printed, and the exit code is 128 + the signal (130, 143, 129).
    func run() throws {
        let preset = try experiment.loadPreset()
        let configuration = try preset.configuration(solver)
        GEMM.threads = threads
        let setup = try Experiment(preset: preset)
        Console.noteSplit(setup.data)
        let trainer = try setup.makeTrainer(configuration)
        let steps = setup.totalSteps
        // Before the first row: a file-size limit must fail a write, not kill the run mid-row.
        SignalStopper.ignoreFileSizeLimitSignal()
        let writer = try log.map { path throws(EngineError) in try LineWriter(path: path, header: StepCSV.header, overwrite: force) }

        // The training loop below asks after every step whether a signal came.
        let signals = StopSignals {}
        defer { signals.cancel() }

        let live = Console.stderrIsTerminal
        var lastPrint = 0.0
        let run = TrainingRun(trainer: trainer, steps: steps, evalEvery: preset.training.evalEvery, name: configuration.name,
                              shouldStop: { signals.signal != nil })
        var throughput = Throughput()
        let summary = run.run(log: writer) { row in
            let seconds = row.wallMilliseconds / 1000
            throughput.add(samples: row.samples, at: seconds)
            guard seconds - lastPrint >= (live ? 0.1 : 5) || row.step == steps else { return }
            lastPrint = seconds
            let text = Self.progress(step: row.step, of: steps, epoch: row.epoch, loss: row.loss, seconds: seconds,
                                     samplesPerSecond: throughput.mean, bar: live)
            Console.write(live ? "\r\u{1B}[2K" + String(text.prefix(max(10, Console.width - 1))) : text + "\n")
        }
        if live { Console.write("\n") }

        print("preset           \(preset.name)")
        print("solver           \(configuration.label) (\(configuration.hyperparameters.listing.replacingOccurrences(of: " ", with: ", ")))")
        let signal = signals.signal
        let stopped = summary.stoppedEarly ? signal.map { "  (stopped by \(signalName($0)) after \(summary.steps) of \(steps))" } ?? "" : ""
        let failed = summary.logFailure != nil ? "  (stopped: the log could not be written)" : ""
        print("steps            \(summary.steps)" + (summary.divergedAt.map { "  (diverged at step \($0))" } ?? "") + stopped + failed)
        print("final train loss \(NumberText.short(summary.finalTrainLoss))  (mean of the last \(min(100, summary.steps)) steps)")
        print("test loss        \(summary.testLoss.map(NumberText.short) ?? "-")")
        print("test accuracy    \(NumberText.accuracy(summary.testAccuracy))")
        print("samples/s        \(NumberText.short(summary.samplesPerSecond.rounded()))")
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

    /// One tqdm-style progress line: ` 45%|█████     | 900/2000 [00:02<00:03, 412 steps/s, 26k samples/s] epoch 3 loss 0.123`.
    static func progress(step: Int, of total: Int, epoch: Int, loss: Double, seconds: Double, samplesPerSecond: Double, bar: Bool) -> String {
        let fraction = Double(step) / Double(max(total, 1))
        let stepsPerSecond = Double(step) / max(seconds, 1e-9)
        let remaining = Double(total - step) / max(stepsPerSecond, 1e-9)
        let percent = String(format: "%3.0f%%", 100 * fraction)
        return "\(percent)\(bar ? "|" + Console.bar(fraction, width: 20) + "|" : "") \(step)/\(total) [\(NumberText.duration(seconds))<\(NumberText.duration(remaining)), \(NumberText.short(stepsPerSecond.rounded())) steps/s, \(NumberText.short(samplesPerSecond.rounded())) samples/s] epoch \(epoch) loss \(NumberText.short(loss))"
    }
}

/// The most threads per matrix product a command accepts: the machine's processors. More only
/// oversubscribe the cores (and OpenBLAS, before oneDNN, stalled starting dozens of threads
/// where memory mappings were limited: the fuzz harness found it under an address-space limit).
let maxThreads = max(1, ProcessInfo.processInfo.activeProcessorCount)

func signalName(_ signal: Int32) -> String {
    switch signal {
    case SIGINT: "SIGINT"
    case SIGTERM: "SIGTERM"
    case SIGHUP: "SIGHUP"
    default: "signal \(signal)"
    }
}
