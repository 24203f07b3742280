/// Several run directories drawn together: every configuration of every run is one line.
/// Where a name would clash between runs, it becomes `run/name` (and its label `run/label`),
/// so legends, markers and files stay unambiguous.
public struct RunOverlay {
    public private(set) var runs: [RunView]

    /// Directories with the same last component are told apart as `name`, `name-2`, ...
    public init(paths: [String], options: RunReader.Options = .init()) {
        var views = [RunView]()
        var used = [String: Int]()
        for p in paths {
            var v = RunView(path: p, options: options)
            let base = v.runName
            used[base, default: 0] += 1
            if used[base]! > 1 { v = RunView(path: p, options: options, runName: "\(base)-\(used[base]!)") }
            views.append(v)
        }
        runs = views
    }

    /// Reads what was appended in every run; true when anything changed.
    @discardableResult
    public mutating func poll(polls: Int = 1) throws(RunFileError) -> Bool {
        var changed = false
        for i in runs.indices { changed = try runs[i].poll(polls: polls) || changed }
        return changed
    }

    /// Reads every run to its end as it stands now.
    public mutating func load() throws(RunFileError) {
        for i in runs.indices { try runs[i].load() }
    }

    /// The runs as one snapshot; with one run, that run's own.
    public var snapshot: SessionSnapshot {
        guard runs.count > 1 else { return runs.first?.snapshot ?? SessionSnapshot(configurations: []) }
        let snaps = runs.map(\.snapshot)
        var counts = [String: Int]()
        for s in snaps { for c in s.configurations { counts[c.name, default: 0] += 1 } }
        var out = SessionSnapshot(configurations: [])
        for (run, s) in zip(runs, snaps) {
            func rename(_ name: String) -> String { name.isEmpty || counts[name, default: 0] < 2 ? name : "\(run.runName)/\(name)" }
            for var c in s.configurations {
                if counts[c.name, default: 0] > 1 {
                    c.configuration.name = rename(c.name)
                    c.configuration.label = "\(run.runName)/\(c.label)"
                }
                out.configurations.append(c)
            }
            out.events += s.events.map { e in var e = e; e.solver = rename(e.solver); return e }
            out.markers += s.markers.map { e in var e = e; e.solver = rename(e.solver); return e }
            out.alerts += s.alerts
            out.elapsedSeconds = max(out.elapsedSeconds, s.elapsedSeconds)
        }
        return out
    }

    /// What differs between the runs, for the header: "preset spirals | moons · network ...",
    /// then the starting hyperparameters of a configuration several runs have
    /// ("bpgrad lipschitz 10 | 30"), and which configurations only some runs have.
    public var differences: String {
        guard runs.count > 1 else { return "" }
        let manifests = runs.map(\.manifest)
        var parts = [String]()
        func differ(_ what: String, _ value: (RunManifest) -> String?) {
            let values = manifests.map { $0.flatMap(value) ?? "?" }
            if Set(values).count > 1 { parts.append("\(what) \(values.joined(separator: " | "))") }
        }
        differ("preset") { $0.preset }
        differ("data") { $0.dataset }
        differ("network") { $0.network }
        differ("batch") { $0.batchSize.map(String.init) }
        differ("steps") { $0.totalSteps.map(String.init) }
        // Configurations only where every run has a run.json: a run not written yet, or one from
        // before format version 1, says nothing about its settings.
        let described = manifests.compactMap { $0.flatMap { $0.isLegacy ? nil : $0 } }
        guard described.count == runs.count else { return parts.joined(separator: " · ") }
        var names = [String]()
        for m in described { for c in m.configurations where !names.contains(c.name) { names.append(c.name) } }
        for name in names {
            let found = described.map { $0.configuration(named: name) }
            guard found.allSatisfy({ $0 != nil }) else {
                let having = zip(runs, found).filter { $0.1 != nil }.map(\.0.runName)
                parts.append("\(name) only in \(having.joined(separator: ", "))")
                continue
            }
            let keys = Set(found.flatMap { $0!.hyperparameters.keys }).sorted()
            for key in keys {
                let values = found.map { $0!.hyperparameters[key]?.description ?? "?" }
                if Set(values).count > 1 { parts.append("\(name) \(key) \(values.joined(separator: " | "))") }
            }
        }
        return parts.joined(separator: " · ")
    }
}
