import BPGradDashboard
import BPGradEngine

/// A running session with what the dashboard shows about it.
struct LiveSession {
    let session: Session
    let info: DashboardInfo

    init(session: Session) {
        self.session = session
        info = DashboardInfo(experiment: session.experiment, runDirectory: session.runDirectory?.path)
        session.start()
    }

    /// Loads the data, draws the initial weights and starts `configurations` writing into
    /// `runPath` (or a fresh folder under runs/).
    init(preset: Preset, configurations: [Configuration], runOptions: RunOptions, options: Session.Options, runPath: String? = nil) throws {
        let setup = try Experiment(preset: preset)
        // run.json's total_steps is the planned length: null when training goes on until the
        // user stops it (the dashboard's default), the preset's length with --stop-at-length.
        let total = options.stopAtLength ? setup.totalSteps : nil
        let directory = try runOptions.makeRunDirectory(setup, configurations, totalSteps: total, path: runPath)
        self.init(session: try Session(experiment: setup, configurations: configurations, runDirectory: directory, options: options))
    }
}
