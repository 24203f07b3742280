import BPGradDashboard
import BPGradEngine
import Foundation

/// The event loop: read a snapshot, draw, wait for a key until the next frame, act on it.
/// Only this loop touches the screen, on the main thread.
final class DashboardApp {
    private let screen: any TerminalScreen
    private var live: LiveSession
    private let runOptions: RunOptions
    private let presets: PresetLibrary
    private var options: Session.Options
    private let fps: Int
    private var state: DashboardState
    private var lastGrid = Grid(width: 0, height: 0)
    private var lastBoundaryRequest = DispatchTime(uptimeNanoseconds: 0)

    init(screen: any TerminalScreen, live: LiveSession, runOptions: RunOptions, presets: PresetLibrary, options: Session.Options,
         state: DashboardState, fps: Int) {
        self.screen = screen
        self.live = live
        self.runOptions = runOptions
        self.presets = presets
        self.options = options
        self.state = state
        self.fps = fps
    }

    /// The first file of a run directory that could not be written in this dashboard's
    /// sessions (a full disk): the exit code says so even after the alert was seen.
    private(set) var writeFailure: EngineError?

    private func noteWriteFailure(_ session: Session) {
        if writeFailure == nil { writeFailure = session.runDirectory?.writeFailure }
    }

    /// Runs until the user quits or a signal arrives; returns the run directory.
    func run() -> String? {
        FrameLoop.run(screen: screen, fps: fps, update: requestBoundaries, draw: draw) { key in
            let snapshot = live.session.store.snapshot()
            let effects = state.handle(key, snapshot: snapshot, info: live.info, presets: { presets.entries() })
            return effects.contains { perform($0) }
        }
        live.session.stop()
        noteWriteFailure(live.session)
        return live.info.runDirectory
    }

    /// About twice a second while decision boundaries are shown, each configuration evaluates
    /// its network over the plane on its own queue (never racing its training thread).
    private func requestBoundaries() {
        guard state.showBoundaries, state.frozen == nil, let plane = live.info.plane,
              DispatchTime.now().uptimeNanoseconds - lastBoundaryRequest.uptimeNanoseconds > 500_000_000 else { return }
        lastBoundaryRequest = .now()
        let (w, h) = screen.size
        let count = live.session.store.count
        let panels = DashboardView.Layout(width: w, height: h, configurations: count).boundaryPanels(max(1, count - state.hidden.count))
        guard let cell = panels.first else { return }
        live.session.send(.computeBoundary(BoundaryPanelRequest.make(area: cell, plane: plane)))
    }

    private func draw() {
        let (w, h) = screen.size
        let snapshot = state.frozen ?? live.session.store.snapshot()
        lastGrid = DashboardView(snapshot: snapshot, info: live.info, state: state).render(width: w, height: h)
        screen.draw(lastGrid)
    }

    /// Carries out an effect; true means quit.
    private func perform(_ effect: Effect) -> Bool {
        switch effect {
        case .quit: return true
        case let .session(command, index): live.session.send(command, to: index)
        case .fork(let index):
            do { try live.session.requestFork(index) } catch { state.message = "cannot fork: \(error)" }
        case .restart: restart()
        case .export: export()
        case .loadPreset(let location): load(location)
        }
        return false
    }

    /// The session options as the keys have set them, for a session that replaces this one.
    private var currentOptions: Session.Options {
        var o = options
        o.speed = state.speed
        o.stopAtLength = state.stopAtLength
        o.pauseOnEvaluation = state.pauseOnEvaluation
        o.startPaused = live.session.store.snapshot().configurations.allSatisfy { $0.status == .paused }
        return o
    }

    /// The same configurations at the settings in force, from the initial weights, in a new
    /// run directory: the old one stays exactly as it was, ending in a `restart` event.
    private func restart() {
        do {
            let old = live.session
            let path = try old.runDirectory.map { d throws(EngineError) in try RunDirectory.successor(of: d.path) }
            let configurations = old.configurations
            let directory = try runOptions.makeRunDirectory(old.experiment, configurations,
                                                            totalSteps: currentOptions.stopAtLength ? old.experiment.totalSteps : nil,
                                                            path: path, previous: old.runDirectory?.path)
            let next = try old.successor(runDirectory: directory, options: currentOptions)
            old.send(.stop)
            old.wait()
            old.finish(restartedIn: directory?.path)
            noteWriteFailure(old)
            live = LiveSession(session: next)
            state.frozen = nil
            state.cursor = nil
            state.message = "restarted" + (directory.map { " in \($0.path) (the previous run is kept as it was)" } ?? "")
        } catch {
            state.message = "could not restart: \(error)"
        }
    }

    private func export() {
        let folder = live.info.runDirectory ?? FileManager.default.currentDirectoryPath
        let view = DashboardView(snapshot: state.frozen ?? live.session.store.snapshot(), info: live.info, state: state)
        state.message = ScreenExport.write(grid: lastGrid, view: view, xAxis: state.xAxis, title: live.info.presetName, folder: folder)
    }

    private func load(_ location: PresetLocation) {
        state.message = "loading \(location)..."
        draw()
        do {
            let preset = try PresetLibrary.load(location, overrides: [])
            // What launching with this preset and the same --solvers would run.
            let configurations = try runOptions.configurations(preset)
            let runPath = runOptions.runDirectory.map { base in RunDirectory.freshPath("\(base)-\(preset.name)") }
            let next = try LiveSession(preset: preset, configurations: configurations, runOptions: runOptions, options: currentOptions,
                                       runPath: runPath)
            live.session.stop()
            noteWriteFailure(live.session)
            live = next
            state.frozen = nil
            state.cursor = nil
            state.hidden = []
            state.selectedParameter = 0
            state.message = "loaded \(preset.name)" + (next.info.runDirectory.map { " · writing \($0)" } ?? "")
        } catch {
            state.message = "could not load \(location): \(error)"
        }
    }
}
