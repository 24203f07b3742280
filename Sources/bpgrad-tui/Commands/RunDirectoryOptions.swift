import ArgumentParser
import BPGradEngine

/// Where a session's run directory goes, or that it writes none: shared by every command that
/// trains, so `--run-dir` and `--no-log` mean the same everywhere.
struct RunDirectoryOptions: ParsableArguments {
    @Option(name: .customLong("run-dir"), help: "Write the run directory here (a new or empty directory) instead of runs/<time>-<preset>/.")
    var path: String?

    @Flag(name: .customLong("no-log"), help: "Write no run directory.")
    var noLog = false

    func validate() throws {
        if noLog, path != nil { throw ValidationError("give --run-dir or --no-log, not both") }
    }

    /// The run directory at `path` (else --run-dir, else a fresh one under runs/), unless --no-log.
    func make(_ experiment: Experiment, _ configurations: [Configuration], totalSteps: Int?, path explicit: String? = nil,
              previous: String? = nil) throws(EngineError) -> RunDirectory? {
        noLog ? nil : try RunDirectory(experiment: experiment, configurations: configurations, totalSteps: totalSteps,
                                       explicitPath: explicit ?? path, previous: previous)
    }
}
