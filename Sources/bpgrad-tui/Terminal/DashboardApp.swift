import BPGradDashboard
import BPGradEngine
import Foundation

/// The event loop: read a snapshot, draw, wait for a key until the next frame, act on it.
/// Only this loop touches the screen, on the main thread.
final class DashboardApp {
    private let screen: NcursesScreen
    private var live: LiveSession
    private let specs: [SolverSpec]
    private let runOptions: RunOptions
    private let fps: Int
    private var state = DashboardState()
    private var lastGrid = Grid(width: 0, height: 0)

    init(screen: NcursesScreen, live: LiveSession, specs: [SolverSpec], runOptions: RunOptions, fps: Int) {
        self.screen = screen
        self.live = live
        self.specs = specs
        self.runOptions = runOptions
        self.fps = fps
    }

    /// Runs until the user quits or a signal arrives; returns the run directory.
    func run() -> String? {
        FrameLoop.run(screen: screen, fps: fps, draw: draw) { key in
            let snapshot = live.session.store.snapshot()
            let effects = state.handle(key, snapshot: snapshot, planar: live.info.plane != nil, presets: { PresetLibrary.standard().entries() })
            return effects.contains { perform($0) }
        }
        live.session.stop()
        return live.info.runDirectory
    }

    private var lastBoundaryRequest = DispatchTime(uptimeNanoseconds: 0)

    /// About twice a second while decision boundaries are shown, each solver evaluates its
    /// network over the plane on its own queue (never racing its training thread).
    private func requestBoundaries(width: Int, height: Int) {
        guard state.showBoundaries, state.frozen == nil, let plane = live.info.plane,
              DispatchTime.now().uptimeNanoseconds - lastBoundaryRequest.uptimeNanoseconds > 500_000_000 else { return }
        lastBoundaryRequest = .now()
        let count = max(1, live.session.solvers.count)
        let cell = Rect(x: 0, y: 0, width: max(1, (width - 28) / count), height: max(3, height - 4 - count))
        live.session.send(.computeBoundary(BoundaryPanelRequest.make(area: cell, plane: plane)))
    }

    private func draw() {
        let (w, h) = screen.size
        requestBoundaries(width: w, height: h)
        let snapshot = state.frozen ?? live.session.store.snapshot()
        lastGrid = DashboardView(snapshot: snapshot, info: live.info, state: state).render(width: w, height: h)
        screen.draw(lastGrid)
    }

    /// Carries out an effect; true means quit.
    private func perform(_ effect: Effect) -> Bool {
        switch effect {
        case .quit: return true
        case let .session(command, solver): live.session.send(command, to: solver)
        case .export: export()
        case .loadPreset(let path): load(path)
        }
        return false
    }

    private func export() {
        let folder = live.info.runDirectory ?? FileManager.default.currentDirectoryPath
        let f = DateFormatter()
        f.dateFormat = "HHmmss"
        let path = "\(folder)/screen-\(f.string(from: Date())).txt"
        do {
            try (lastGrid.description + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            state.message = "screen written to \(path)" + (live.info.runDirectory.map { "; CSVs are in \($0)/" } ?? "")
        } catch {
            state.message = "could not write \(path): \(error.localizedDescription)"
        }
    }

    private func load(_ path: String) {
        state.message = "loading \(path)..."
        draw()
        do {
            let preset = try PresetLibrary.load(path: path, overrides: [])
            let kinds = specs.map(\.kind)
            let newSpecs = try kinds.map { kind throws(EngineError) in try preset.solver(kind) }
            let next = try LiveSession(preset: preset, specs: newSpecs, runOptions: runOptions, startPaused: state.paused, suffix: preset.name)
            live.session.stop()
            live = next
            state.frozen = nil
            state.selectedParameter = 0
            state.message = "loaded \(preset.name)"
        } catch {
            state.message = "could not load \(path): \(error)"
        }
    }
}
