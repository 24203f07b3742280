import ArgumentParser
import BPGradEngine

/// Options of commands that run a session: which solvers, and where the run directory goes.
struct RunOptions: ParsableArguments {
    @Option(name: .long, help: "Comma-separated solvers to race (bpgrad, adam, sgd, adagrad, adadelta, rmsprop).")
    var solvers = "bpgrad,adam"

    @Option(name: .customLong("run-dir"), help: "Write the run directory here instead of runs/<time>-<preset>/.")
    var runDirectory: String?

    @Flag(name: .customLong("no-log"), help: "Write no run directory.")
    var noLog = false

    func validate() throws {
        if noLog, runDirectory != nil { throw ValidationError("give --run-dir or --no-log, not both") }
    }

    func solverSpecs(_ preset: Preset) throws(EngineError) -> [SolverSpec] {
        var specs = [SolverSpec]()
        for name in solvers.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !name.isEmpty {
            specs.append(try preset.solver(name))
        }
        return specs
    }

    func makeRunDirectory(_ preset: Preset) throws(EngineError) -> RunDirectory? {
        noLog ? nil : try RunDirectory(preset: preset, explicitPath: runDirectory)
    }
}
