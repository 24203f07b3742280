import DequeModule
import Foundation

/// A run directory read into the snapshot a live session publishes, so the dashboard draws a
/// finished run (`view`) or one another process is writing (`watch`) exactly as its own.
///
/// It keeps each configuration's metrics (decimated series, latest values, status from
/// summary.json and the events), applies `set` events to the hyperparameters in force, and
/// keeps marker events exactly. Polling is incremental: only what was appended is read.
public struct RunView {
    public let path: String
    /// The name the run goes by when several are overlaid: the directory's last component.
    public let runName: String
    public private(set) var reader: RunReader
    private var metrics: [ConfigurationMetrics] = []
    private var index: [String: Int] = [:]
    private var events = Deque<SessionEvent>()
    private var markers: [SessionEvent] = []

    public init(path: String, options: RunReader.Options = .init(), runName: String? = nil) {
        self.path = path
        self.runName = runName ?? URL(fileURLWithPath: path).standardizedFileURL.lastPathComponent
        reader = RunReader(path: path, options: options)
    }

    public var manifest: RunManifest? { reader.manifest }
    public var status: RunStatus { reader.status }

    /// Reads what was appended since the last call, at most `polls` reader polls (each bounded
    /// in bytes); true when anything changed.
    @discardableResult
    public mutating func poll(polls: Int = 1, now: Date = Date()) throws(RunFileError) -> Bool {
        var changed = false
        for _ in 0..<max(1, polls) {
            let delta = try reader.poll(now: now)
            changed = apply(delta) || changed
            if delta.status.isCaughtUp { break }
        }
        return changed
    }

    /// Reads everything there is now (a finished run, or a first frame of a live one).
    public mutating func load() throws(RunFileError) {
        repeat { try poll(polls: 64) } while !reader.status.isCaughtUp
    }

    private mutating func apply(_ d: RunDelta) -> Bool {
        var changed = false
        if let m = d.manifest {
            for c in m.configurations where index[c.name] == nil {
                index[c.name] = metrics.count
                metrics.append(ConfigurationMetrics(configuration: Self.configuration(c), totalSteps: m.totalSteps ?? 0,
                                                    startStep: c.forkStep ?? 0))
                changed = true
            }
        }
        for reset in d.resets {
            if let name = reset.configuration, let i = index[name] {
                let c = metrics[i]
                metrics[i] = ConfigurationMetrics(configuration: c.configuration, totalSteps: c.totalSteps, startStep: c.configuration.forkStep ?? 0)
                changed = true
            }
        }
        for (name, rows) in d.rows {
            guard let i = index[name] else { continue }
            for r in rows { metrics[i].record(r) }
            changed = changed || !rows.isEmpty
        }
        for e in d.events { note(e); changed = true }
        if let s = d.summary {
            for line in s.solvers {
                guard let i = index[line.solver], let status = line.status.flatMap(SolverStatus.init(text:)), !metrics[i].status.isDone else { continue }
                metrics[i].status = status
            }
            changed = true
        }
        // Nothing more will come: whatever has not ended, ended when the run did.
        if d.status.isFinished {
            for i in metrics.indices where !metrics[i].status.isDone { metrics[i].status = .stopped }
        } else {
            for i in metrics.indices where metrics[i].status == .starting && metrics[i].step > 0 { metrics[i].status = .running }
        }
        return changed
    }

    /// Keeps an event, applies what it says about a configuration, and records markers exactly.
    private mutating func note(_ event: SessionEvent) {
        var e = event
        if let i = index[e.solver] {
            switch e.kind {
            case .set:
                if let change = Self.change(e.detail, metrics[i].hyper) {
                    e.change = change
                    var hyper = metrics[i].configuration.hyperparameters
                    if (try? hyper.set(change.key, change.new)) != nil { metrics[i].configuration.hyperparameters = hyper }
                }
            case .finished: metrics[i].status = .finished
            case .diverged: metrics[i].status = .diverged(step: e.step)
            case .stop: if !metrics[i].status.isDone { metrics[i].status = .stopped }
            case .error: metrics[i].status = .error(e.detail)
            case .pause: metrics[i].status = .paused
            case .resume: metrics[i].status = .running
            default: break
            }
        }
        events.append(e)
        if events.count > MetricsStore.eventCapacity { events.removeFirst() }
        if e.kind.isMarker, markers.count < MetricsStore.markerCapacity { markers.append(e) }
    }

    /// What the run shows now. A configuration that says it trains in a run whose writer has
    /// stopped writing (`status.stale`) is shown as stale, not running.
    public var snapshot: SessionSnapshot {
        var shown = metrics
        if reader.status.stale != nil {
            for i in shown.indices where [.starting, .running, .paused].contains(shown[i].status) { shown[i].status = .stale }
        }
        return SessionSnapshot(configurations: shown, events: Array(events), markers: markers,
                               elapsedSeconds: metrics.map(\.trainingSeconds).max() ?? 0)
    }

    /// A configuration of run.json as this program's type: a known kind gets its schema (so
    /// values are checked and can be stepped), another writer's kind a schema of what it wrote.
    static func configuration(_ c: RunManifest.Configuration) -> Configuration {
        let kind = SolverKind(c.kind)
        var values = [HyperKey: HyperValue]()
        for (k, v) in c.hyperparameters { values[HyperKey(k)] = v.hyperValue }
        var hyper: Hyperparameters
        if let d = SolverRegistry.descriptor(kind) {
            hyper = d.defaults
            var typedValues = [(key: HyperKey, value: HyperValue)]()
            for (key, value) in values {
                guard let info = try? d.schema.info(key) else { continue }
                // Strings that are numbers or flags (a writer may quote them) parse as typed.
                let typed: HyperValue? = if case .choice(let text) = value, !info.isChoice { try? info.parse(text, solver: kind.rawValue) } else { value }
                if let typed { typedValues.append((key, typed)) }
            }
            // Together first (nesterov is only valid with its momentum); a set that breaks a
            // rule keeps what it can, value by value.
            if (try? hyper.set(typedValues)) == nil { for (key, value) in typedValues { try? hyper.set(key, value) } }
        } else {
            hyper = Hyperparameters(schema: HyperparameterSchema(external: kind, values: values))
        }
        return Configuration(hyperparameters: hyper, label: c.label, name: c.name, parent: c.parent, forkStep: c.forkStep)
    }

    /// A `set` event's detail, `NAME OLD -> NEW[; note][ (command ID)]`, as a typed change.
    public static func change(_ detail: String, _ hyper: Hyperparameters) -> HyperChange? {
        var text = detail
        if let semicolon = text.firstIndex(of: ";") { text = String(text[..<semicolon]) }
        text = EventDetail.withoutCommand(text)
        let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        let values = parts[1].components(separatedBy: " -> ")
        guard values.count == 2 else { return nil }
        let key = HyperKey(parts[0])
        func value(_ s: String) -> HyperValue {
            if let info = try? hyper.schema.info(key), let v = try? info.parse(s, solver: "") { return v }
            if let x = Double(s) { return .number(x) }
            if s == "true" || s == "false" { return .flag(s == "true") }
            return .choice(s)
        }
        return HyperChange(key: key, old: value(values[0]), new: value(values[1].trimmingCharacters(in: .whitespaces)))
    }
}
