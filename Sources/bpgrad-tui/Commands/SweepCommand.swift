import ArgumentParser
import BPGradEngine
import Foundation

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Train one solver at every combination of a grid of hyperparameters, a few at a time, and rank them."
    )

    @OptionGroup var experiment: ExperimentOptions

    @Option(name: .long, help: ArgumentHelp("The configuration to sweep: solver[:key=value...]. Solvers: \(SolverRegistry.kindList).", valueName: "configuration"))
    var solver = "bpgrad"

    @Option(name: .long, parsing: .singleValue, help: ArgumentHelp("A swept hyperparameter and its values; repeat for more (every combination runs).", valueName: "key=v1,v2,..."))
    var grid: [String] = []

    @Option(name: .customLong("parallel"), parsing: .unconditional, help: "How many combinations train at once (default: the number of cores).")
    var parallelOption: Int?

    /// --parallel, else one per core.
    var parallel: Int { parallelOption ?? ProcessInfo.processInfo.activeProcessorCount }

    @Option(name: .long, parsing: .unconditional, help: "Report the first step at which each combination's smoothed training loss reaches this.")
    var target: Double?

    @OptionGroup var output: RunDirectoryOptions

    func validate() throws {
        if grid.isEmpty { throw ValidationError("give at least one --grid key=v1,v2,..., for example --grid lipschitz=2,5,10") }
        if let parallelOption, parallelOption < 1 { throw ValidationError("--parallel must be at least 1, got \(parallelOption)") }
        if let target, !(target.isFinite && target >= 0) { throw ValidationError("--target must be a loss >= 0, got \(target)") }
    }

    func run() throws {
        let preset = try experiment.loadPreset()
        let sweep = try SweepGrid(grid)
        let base = try ConfigurationSyntax.parse(solver, field: "--solver")
        guard let specs = sweep.expand(base) else {
            let d = try SolverRegistry.descriptor(named: base.solver, field: "--solver")
            let unknown = sweep.axes.map(\.key).filter { d.schema.key(named: $0) == nil }
            throw EngineError.invalidValue(field: "--grid", message: "\(d.kind) has no hyperparameter \(unknown.map { "'\($0)'" }.joined(separator: ", ")); it has \(d.schema.keys.map(\.rawValue).joined(separator: ", "))")
        }
        guard specs.count <= SweepGrid.limit else {
            throw EngineError.invalidValue(field: "--grid", message: "\(specs.count) combinations; a sweep runs at most \(SweepGrid.limit)")
        }
        let configurations = try ConfigurationList.resolve(specs, base: preset.settings, field: "--grid", limit: SweepGrid.limit)
        let setup = try Experiment(preset: preset)
        Console.noteSplit(setup.data)
        let directory = try output.make(setup, configurations, totalSteps: setup.totalSteps)
        var options = Session.Options.headless
        options.parallel = parallel
        options.targetLoss = target
        let session = try Session(experiment: setup, configurations: configurations, runDirectory: directory, options: options)
        let stopper = StopSignals { session.send(.stop) }
        Console.error("sweep \(configurations[0].descriptor?.displayName ?? base.solver) on \(preset.name): \(configurations.count) combinations, \(min(parallel, configurations.count)) at a time, \(setup.totalSteps) steps each")
        session.start()
        let progress = ProgressLines()
        while !session.wait(timeout: .now() + .milliseconds(250)) {
            let snap = session.store.snapshot()
            progress.show(Self.progress(snap), at: snap.elapsedSeconds)
        }
        session.finish()
        stopper.cancel()
        let snap = session.store.snapshot()
        progress.show(Self.progress(snap), at: snap.elapsedSeconds, force: true)
        let report = SweepReport(grid: sweep, snapshot: snap, targetLoss: target)
        let regression: Bool
        if case .regression = setup.data.train.task { regression = true } else { regression = false }
        print(SweepTable(report: report, regression: regression).text)
        if let directory {
            try directory.write(report)
            print("\nrun directory: \(directory.path) (sweep.csv has one row per combination)")
        }
        if let failure = directory?.writeFailure {
            Console.error("error: \(failure.description)")
            throw ExitCode(1)
        }
        try stopper.exitIfStopped()
    }

    /// One line for the sweep as a whole, then one per combination that is training.
    static func progress(_ snap: SessionSnapshot) -> [String] {
        let all = snap.configurations
        let done = all.filter { $0.status.isDone }.count
        let total = all.map(\.totalSteps).reduce(0, +), steps = all.map(\.step).reduce(0, +)
        var lines = ["\(Console.bar(Double(steps) / Double(max(total, 1)), width: 24)) \(done)/\(all.count) combinations done"]
        lines += CompareCommand.progressLines(all) { $0.status == .running }
        return lines
    }
}
