import ArgumentParser
import BPGradDashboard
import BPGradEngine
import Foundation

struct DashboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "The live dashboard (the default): solvers training side by side, tunable while they run."
    )

    @OptionGroup var experiment: ExperimentOptions
    @OptionGroup var runOptions: RunOptions

    @Option(name: .long, help: "Frames per second.")
    var fps = 20

    @Flag(name: .customLong("no-color"), help: "No colours (also when NO_COLOR is set).")
    var noColor = false

    func validate() throws {
        guard (1...120).contains(fps) else { throw ValidationError("--fps must be between 1 and 120, got \(fps)") }
    }

    func run() throws {
        let headless = "for a headless run use 'bpgrad-tui compare'"
        do { try NcursesScreen.checkTerminal() } catch { throw error.explained(view: "the dashboard", headless: headless) }
        let preset = try experiment.loadPreset()
        let specs = try runOptions.solverSpecs(preset)
        let live = try LiveSession(preset: preset, specs: specs, runOptions: runOptions)
        let colorless = noColor || !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        let screen: NcursesScreen
        do { screen = try NcursesScreen(noColor: colorless) } catch {
            live.session.stop()
            throw error.explained(view: "the dashboard", headless: headless)
        }
        let app = DashboardApp(screen: screen, live: live, specs: specs, runOptions: runOptions, fps: fps)
        let runDirectory = app.run()
        screen.close()
        if let runDirectory { print("run directory: \(runDirectory)") }
    }
}

/// A running session with what the dashboard shows about it.
struct LiveSession {
    let session: Session
    let info: DashboardInfo

    /// - Parameter suffix: appended to an explicit `--run-dir` so a second preset does not overwrite the first.
    init(preset: Preset, specs: [SolverSpec], runOptions: RunOptions, startPaused: Bool = false, suffix: String? = nil) throws {
        let setup = try Experiment(preset: preset)
        var options = runOptions
        if let suffix, let dir = options.runDirectory { options.runDirectory = dir + "-" + suffix }
        let directory = try options.makeRunDirectory(preset)
        session = try Session(experiment: setup, solvers: specs, runDirectory: directory, exitWhenDone: false, startPaused: startPaused)
        info = DashboardInfo(experiment: setup, runDirectory: directory?.path)
        session.start()
    }
}
