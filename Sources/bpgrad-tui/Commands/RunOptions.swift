import ArgumentParser
import BPGradEngine

/// Options of commands that run a session: which configurations, and where the run directory goes.
struct RunOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Configurations to race: solver[:key=value...][@label], comma-separated, e.g. \"bpgrad, bpgrad:lipschitz=50, adam:lr=3e-4@fast\". Solvers: \(SolverRegistry.kindList). Default: the preset's configurations, else bpgrad, adam.",
        valueName: "list"))
    var solvers: String?

    @OptionGroup var output: RunDirectoryOptions

    /// --run-dir, if given.
    var runDirectory: String? { output.path }

    @Option(name: .long, parsing: .singleValue, help: ArgumentHelp("Sweep a hyperparameter live: every configuration that has it runs once per value (repeat for more keys).", valueName: "key=v1,v2,..."))
    var sweep: [String] = []

    /// The configurations to run: --solvers (or the preset's), each expanded over --sweep's
    /// grid when it has the swept hyperparameters.
    func configurations(_ preset: Preset) throws(EngineError) -> [Configuration] {
        guard !sweep.isEmpty else { return try preset.configurations(solvers) }
        // Each swept value multiplies the configurations, and a session runs at most 12.
        let grid = try SweepGrid(sweep, field: "--sweep", limit: Configuration.limit)
        let specs = try solvers.map { t throws(EngineError) in try ConfigurationSyntax.parseList(t, field: "--solvers") }
            ?? (preset.configurations.isEmpty ? ConfigurationSpec.defaultRace : preset.configurations)
        let expanded = specs.flatMap { grid.expand($0) ?? [$0] }
        guard expanded.count > specs.count || grid.count == 1 else {
            throw .invalidValue(field: "--sweep", message: "no configuration has \(grid.axes.map { "'\($0.key)'" }.joined(separator: ", ")) (configurations: \(specs.map(\.text).joined(separator: ", ")))")
        }
        return try ConfigurationList.resolve(expanded, base: preset.settings, field: "--sweep")
    }

    /// The run directory at `path` (or a fresh one under runs/ when nil), unless --no-log.
    func makeRunDirectory(_ experiment: Experiment, _ configurations: [Configuration], totalSteps: Int?, path: String? = nil,
                          previous: String? = nil) throws(EngineError) -> RunDirectory? {
        try output.make(experiment, configurations, totalSteps: totalSteps, path: path, previous: previous)
    }
}
