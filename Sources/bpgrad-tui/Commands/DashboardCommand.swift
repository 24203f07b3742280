import ArgumentParser
import BPGradDashboard
import BPGradEngine
import Foundation

struct DashboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "The live dashboard (the default): configurations training side by side, tunable while they run."
    )

    @OptionGroup var experiment: ExperimentOptions
    @OptionGroup var runOptions: RunOptions

    @Option(name: .long, parsing: .unconditional, help: "Frames per second.")
    var fps = 20

    @Option(name: .long, parsing: .unconditional, help: "Start with a speed cap: at most this many steps per second per configuration (+ and - change it).")
    var speed: Double?

    @Flag(name: .customLong("stop-at-length"), help: "Stop each configuration at the preset's length (by default training goes on until you quit).")
    var stopAtLength = false

    @Option(name: .customLong("pause-at"), parsing: .unconditional, help: "Pause each configuration once it has taken this step.")
    var pauseAt: Int?

    @Flag(name: .customLong("pause-on-eval"), help: "Pause after every evaluation on the test set.")
    var pauseOnEvaluation = false

    @Flag(name: .customLong("no-color"), help: "No colours (also when NO_COLOR is set).")
    var noColor = false

    func validate() throws {
        guard (1...120).contains(fps) else { throw ValidationError("--fps must be between 1 and 120, got \(fps)") }
        // At least one step in 1,000 s: a slower cap is a pause (and 1e9 / speed nanoseconds
        // must stay a representable wait).
        if let speed, !(speed >= 1e-3 && speed <= 1e6) {
            throw ValidationError("--speed must be a number of steps per second between 0.001 and 1000000, got \(speed)")
        }
        if let pauseAt, pauseAt < 1 { throw ValidationError("--pause-at must be a step number of at least 1, got \(pauseAt)") }
    }

    func run() throws {
        let headless = "for a headless run use 'bpgrad-tui compare'"
        do { try NcursesScreen.checkTerminal() } catch { throw error.explained(view: "the dashboard", headless: headless) }
        let preset = try experiment.loadPreset()
        let configurations = try runOptions.configurations(preset)
        var options = Session.Options.live
        options.stopAtLength = stopAtLength
        options.pauseAt = pauseAt
        options.pauseOnEvaluation = pauseOnEvaluation
        options.speed = speed
        // The terminal is checked first (above), so a bad TERM creates no run directory.
        let live = try LiveSession(preset: preset, configurations: configurations, runOptions: runOptions, options: options)
        let screen: NcursesScreen
        do { screen = try NcursesScreen(noColor: noColor) } catch {
            live.session.stop()
            throw error.explained(view: "the dashboard", headless: headless)
        }
        var state = DashboardState()
        state.stopAtLength = stopAtLength
        state.pauseOnEvaluation = pauseOnEvaluation
        state.speed = speed
        let app = DashboardApp(screen: screen, live: live, runOptions: runOptions, presets: experiment.presetSearch.library, options: options, state: state, fps: fps)
        let runDirectory = app.run()
        screen.close()
        if let runDirectory { print("run directory: \(runDirectory)") }
        // A file of the run that could not be written (a full disk) was an alert on screen;
        // after the screen is gone it is an error and the exit code.
        if let failure = app.writeFailure {
            Console.error("error: \(failure.description)")
            throw ExitCode(1)
        }
    }
}
