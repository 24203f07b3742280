import BPGradDashboard
import BPGradEngine
import Foundation

/// The dashboard over run directories: finished ones overlaid (`view`), or one that another
/// process is writing (`watch`), followed as rows arrive and steered through its
/// commands.jsonl. Only this loop touches the screen, on the main thread.
final class RunViewerApp {
    private let screen: any TerminalScreen
    private var overlay: RunOverlay
    private let paths: [String]
    private let follow: Bool
    private let fps: Int
    private var state = DashboardState()
    private var info: DashboardInfo
    private var snapshot: SessionSnapshot
    private var appender: CommandAppender?
    private var lastGrid = Grid(width: 0, height: 0)
    private var problem: String?

    init(screen: any TerminalScreen, overlay: RunOverlay, paths: [String], follow: Bool, fps: Int) {
        self.screen = screen
        self.overlay = overlay
        self.paths = paths
        self.follow = follow
        self.fps = fps
        info = DashboardInfo(manifest: nil, runDirectory: paths.joined(separator: " "), source: follow ? .watch : .view)
        snapshot = overlay.snapshot
        if follow, let path = paths.first { appender = CommandAppender(directory: path) }
        refreshInfo()
    }

    func run() {
        FrameLoop.run(screen: screen, fps: fps, update: update, draw: draw) { key in
            let effects = state.handle(key, snapshot: snapshot, info: info, presets: { [] })
            return effects.contains { perform($0) }
        }
    }

    /// Reads what the writer appended (a few bounded polls a frame), then what it confirmed.
    private func update() {
        guard follow else { return }
        do {
            if try overlay.poll(polls: 4) { snapshot = overlay.snapshot }
            problem = nil
        } catch {
            problem = error.description
        }
        settlePending()
        refreshInfo()
    }

    /// A pending value is settled by the event that quotes its id (set or rejected), or when
    /// the value in force already is what was asked for.
    private func settlePending() {
        guard !state.pending.isEmpty else { return }
        let recent = snapshot.events.suffix(200)
        state.pending.removeAll { p in
            if let e = recent.first(where: { EventDetail.answers($0.detail, command: p.id) }) {
                if e.kind == .rejected { state.message = "rejected by the writer: \(e.detail)" }
                return true
            }
            return snapshot.configurations[safe: p.slot.configuration]?.hyper[p.slot.key] == p.value
        }
    }

    private func refreshInfo() {
        let manifests = overlay.runs.map(\.manifest)
        var fresh = DashboardInfo(manifest: manifests.compactMap { $0 }.first, runDirectory: paths.joined(separator: " "),
                                  source: follow ? .watch : .view)
        if overlay.runs.count > 1 {
            let presets = Array(Set(manifests.compactMap { $0?.preset })).sorted()
            fresh.presetName = "\(overlay.runs.count) runs: " + presets.joined(separator: ", ")
        }
        fresh.note = note
        info = fresh
    }

    /// What the header says about where the data stands. First what may be wrong (a run that
    /// says running with no heartbeat, files not read), in view and watch alike.
    private var note: String? {
        if let problem { return problem }
        var warnings = [String]()
        for run in overlay.runs {
            let name = overlay.runs.count > 1 ? "\(run.runName): " : ""
            if let stale = run.status.stale {
                warnings.append("\(name)stale (no update since \(stale.since), \(NumberText.duration(stale.seconds)) ago)")
            }
            for (file, why) in run.status.refusedFiles.sorted(by: { $0.key < $1.key }) { warnings.append("\(name)\(file) \(why)") }
        }
        let differences = overlay.differences
        guard follow, let run = overlay.runs.first else {
            let parts = warnings + (differences.isEmpty ? [] : ["differ: " + differences])
            return parts.isEmpty ? nil : parts.joined(separator: " · ")
        }
        let s = run.status
        if !s.directoryExists { return "waiting for \(run.path) to appear" }
        if let next = s.continuesIn { return "restarted: continues in \(next)" }
        if s.isFinished { return (["finished"] + warnings).joined(separator: " · ") }
        var parts = warnings
        if s.stale == nil, let quiet = s.secondsSinceLastRow, quiet >= 10 { parts.append("writer quiet for \(NumberText.duration(quiet))") }
        if s.malformedRows > 0 { parts.append("\(s.malformedRows) malformed rows skipped (\(s.firstMalformed ?? ""))") }
        return parts.isEmpty ? "watching" : parts.joined(separator: " · ")
    }

    private func draw() {
        let (w, h) = screen.size
        lastGrid = DashboardView(snapshot: state.frozen ?? snapshot, info: info, state: state).render(width: w, height: h)
        screen.draw(lastGrid)
    }

    /// Carries out an effect; true means quit.
    private func perform(_ effect: Effect) -> Bool {
        switch effect {
        case .quit: return true
        case .export: export()
        case let .session(command, index): steer(command, index)
        case .fork, .restart, .loadPreset:
            state.message = follow ? "not available while watching: the run's writer decides that" : "a finished run cannot be changed"
        }
        return false
    }

    /// A key's command as a commands.jsonl line, for the writer to apply between two steps.
    private func steer(_ command: SessionCommand, _ index: Int?) {
        guard follow, appender != nil else {
            state.message = "a finished run cannot be steered; use 'bpgrad-tui watch DIR' on a run that is training"
            return
        }
        let name = index.flatMap { snapshot.configurations[safe: $0]?.name }
        do {
            switch command {
            case .pause: try send(RunCommand(solver: name, .pause))
            case .resume: try send(RunCommand(solver: name, .resume))
            case let .nudge(key, up):
                guard let i = index, let m = snapshot.configurations[safe: i], let info = try? m.hyper.schema.info(key) else { return }
                let slot = ParameterSlot(configuration: i, key: key)
                // From the newest value asked for, so quick presses add up before the writer confirms.
                guard let current = state.pending.last(where: { $0.slot == slot })?.value ?? m.hyper[key],
                      let next = info.nudged(current, up: up) else { return }
                try set(slot, next, name: m.name)
            case let .setText(key, text):
                guard let i = index, let m = snapshot.configurations[safe: i] else { return }
                let value = try m.hyper.schema.info(key).parse(text, solver: m.name)
                try set(ParameterSlot(configuration: i, key: key), value, name: m.name)
            case let .set(key, value, _):
                guard let i = index, let m = snapshot.configurations[safe: i] else { return }
                try set(ParameterSlot(configuration: i, key: key), value, name: m.name)
            default:
                state.message = "not available while watching: the run's writer decides that"
            }
        } catch {
            state.message = "could not send: \(error)"
        }
    }

    private func set(_ slot: ParameterSlot, _ value: HyperValue, name: String) throws {
        let id = try send(RunCommand(solver: name, .set(name: slot.key.rawValue, value: RunCommand.Value(value))))
        state.pending.append(.init(slot: slot, value: value, id: id))
    }

    @discardableResult
    private func send(_ command: RunCommand) throws -> String {
        guard var a = appender else { return "" }
        let id = try a.append(command)
        appender = a
        return id
    }

    private func export() {
        let folder = paths.first ?? FileManager.default.currentDirectoryPath
        let view = DashboardView(snapshot: state.frozen ?? snapshot, info: info, state: state)
        state.message = ScreenExport.write(grid: lastGrid, view: view, xAxis: state.xAxis, title: info.presetName, folder: folder)
    }
}
