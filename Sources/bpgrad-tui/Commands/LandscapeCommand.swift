import ArgumentParser
import BPGradEngine
import Foundation

struct LandscapeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "landscape",
        abstract: "Solvers on a 2-D test function: watch branch and pruning spread over the landscape."
    )

    @Option(name: .long, help: "rastrigin, ackley, himmelblau, rosenbrock, six-hump-camel or styblinski-tang.")
    var function = "rastrigin"

    // Unconditional, so a negative start such as -1.5,2 is read as the value, not as a flag.
    @Option(name: .long, parsing: .unconditional, help: "The start point as x,y (default: 80% of the way across the domain).")
    var start: String?

    @Option(name: .long, help: "Comma-separated solvers: bpgrad-bp and any of \(SolverRegistry.kindList).")
    var solvers = "bpgrad-bp,bpgrad,adam"

    @Option(name: .customLong("set"), parsing: .singleValue, help: ArgumentHelp("A hyperparameter, e.g. adam.lr=0.01 or bpgrad-bp.lipschitz=80.", valueName: "solver.name=value"))
    var overrides: [String] = []

    @Flag(name: .long, help: "Run without a terminal and write --log.")
    var headless = false

    @Option(name: .long, parsing: .unconditional, help: "Steps per solver (headless), or the step limit of the view.")
    var steps = 500

    @Option(name: .long, help: "With --headless: one CSV row per solver and step (a new file, unless --force).")
    var log: String?

    @Flag(name: .long, help: "Let --log write over an existing file.")
    var force = false

    @Option(name: .long, parsing: .unconditional, help: "Frames per second of the view.")
    var fps = 20

    @Flag(name: .customLong("no-color"), help: "No colours (also when NO_COLOR is set).")
    var noColor = false

    func validate() throws {
        if steps < 1 { throw ValidationError("--steps must be at least 1, got \(steps)") }
        if log != nil, !headless { throw ValidationError("--log goes with --headless") }
        if force, log == nil { throw ValidationError("--force lets --log write over an existing file; give --log FILE with it") }
        guard (1...120).contains(fps) else { throw ValidationError("--fps must be between 1 and 120, got \(fps)") }
        // Here rather than in run(), so that the message comes with landscape's usage.
        _ = try testFunction()
        _ = try startPoint()
    }

    private func testFunction() throws -> TestFunction {
        guard let f = TestFunction(rawValue: function) else {
            throw ValidationError("--function: unknown function '\(function)'; expected one of \(TestFunction.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return f
    }

    private func startPoint() throws -> SIMD2<Double>? {
        guard let start else { return nil }
        let parts = start.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let x = parts[0], let y = parts[1], x.isFinite, y.isFinite else {
            throw ValidationError("--start expects x,y such as 4,4; got '\(start)'")
        }
        return SIMD2(x, y)
    }

    func makeRun() throws -> LandscapeRun {
        let kinds = solvers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return try LandscapeRun(function: try testFunction(), start: try startPoint(), solvers: kinds, overrides: overrides)
    }

    func run() throws {
        let landscape = try makeRun()
        if headless {
            let writer = try log.map { path throws(EngineError) in try LineWriter(path: path, header: LandscapeRun.Record.csvHeader, overwrite: force) }
            for _ in 0..<steps {
                let before = landscape.tracks.map(\.steps)
                landscape.step()
                for (t, n) in zip(landscape.tracks, before) where t.steps > n { writer?.write(t.records.last!.csv) }
            }
            writer?.flush()
            print(LandscapeSummary(run: landscape).text)
            return
        }
        try LandscapeApp.run(landscape: landscape, steps: steps, fps: fps, noColor: noColor)
    }
}
