import ArgumentParser
import BPGradEngine

/// Options of commands that run a session: which configurations, and where the run directory goes.
struct RunOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Configurations to race: solver[:key=value...][@label], comma-separated, e.g. \"bpgrad, bpgrad:lipschitz=50, adam:lr=3e-4@fast\". Solvers: \(SolverRegistry.kindList). Default: the preset's configurations, else bpgrad, adam.",
        valueName: "list"))
    var solvers: String?

    @Option(name: .customLong("run-dir"), help: "Write the run directory here (a new or empty directory) instead of runs/<time>-<preset>/.")
    var runDirectory: String?

    @Flag(name: .customLong("no-log"), help: "Write no run directory.")
    var noLog = false

    func validate() throws {
        if noLog, runDirectory != nil { throw ValidationError("give --run-dir or --no-log, not both") }
    }

    func configurations(_ preset: Preset) throws(EngineError) -> [Configuration] {
        try preset.configurations(solvers)
    }

    /// The run directory at `path` (or a fresh one under runs/ when nil), unless --no-log.
    func makeRunDirectory(_ experiment: Experiment, _ configurations: [Configuration], totalSteps: Int?, path: String? = nil,
                          previous: String? = nil) throws(EngineError) -> RunDirectory? {
        noLog ? nil : try RunDirectory(experiment: experiment, configurations: configurations, totalSteps: totalSteps,
                                       explicitPath: path ?? runDirectory, previous: previous)
    }
}
