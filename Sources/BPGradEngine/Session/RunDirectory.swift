import Foundation

/// One run's directory (docs/run-format.md): run.json, the resolved preset, one CSV per
/// configuration, events.csv, commands.jsonl and summary.json. A directory that already
/// holds anything is never written into: a second run gets its own.
public final class RunDirectory: Sendable {
    public let path: String
    private let events: Locked<LineWriter>
    private let manifest: Locked<RunManifest>
    public let commands: Locked<CommandFeed>

    /// Creates `explicitPath` (which must not exist, or be empty), or a fresh time-stamped
    /// folder under `runs/`.
    public init(experiment: Experiment, configurations: [Configuration], totalSteps: Int?, explicitPath: String? = nil,
                previous: String? = nil, date: Date = Date()) throws(EngineError) {
        let preset = experiment.preset
        var target: String
        let fm = FileManager.default
        if let explicitPath {
            target = explicitPath
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: target, isDirectory: &isDir) {
                guard isDir.boolValue else {
                    throw .io(path: target, message: "is a file, not a directory; give --run-dir a new directory")
                }
                let contents = (try? fm.contentsOfDirectory(atPath: target)) ?? []
                guard contents.isEmpty else {
                    throw .io(path: target, message: "already holds a run (\(contents.sorted().prefix(3).joined(separator: ", "))); a run directory is never written twice. Give --run-dir a new directory, or leave it out for a fresh one under runs/")
                }
            }
        } else {
            let f = DateFormatter()
            f.dateFormat = "yyyyMMdd-HHmmss"
            f.locale = Locale(identifier: "en_US_POSIX")
            let safeName = preset.name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" }
            target = Self.freshPath("runs/\(f.string(from: date))-\(String(safeName))")
        }
        do { try fm.createDirectory(atPath: target, withIntermediateDirectories: true) } catch {
            throw .io(path: target, message: "cannot create the run directory (\(Self.reason(error)))")
        }
        path = target
        let m = RunManifest(created: date, preset: preset.name, dataset: "\(experiment.data.name) (\(experiment.data.train.count) train)",
                            network: experiment.networkSummary, parameters: experiment.parameterCount,
                            batchSize: preset.training.batchSize, stepsPerEpoch: experiment.stepsPerEpoch, totalSteps: totalSteps,
                            previous: previous, configurations: configurations)
        manifest = Locked(m)
        try Self.write(m.jsonData, to: "\(target)/run.json")
        try Self.write(preset.resolvedYAML, to: "\(target)/preset.yaml")
        try Self.write("", to: "\(target)/commands.jsonl")
        events = Locked(try LineWriter(path: "\(target)/events.csv", header: SessionEvent.csvHeader))
        commands = Locked(CommandFeed(path: "\(target)/commands.jsonl"))
    }

    /// Where a restarted run continues: `DIR-r2`, then `-r3`..., whichever does not exist yet.
    public static func successorPath(of path: String) -> String {
        var base = path, n = 2
        if let r = path.range(of: "-r", options: .backwards), let k = Int(path[r.upperBound...]) { base = String(path[..<r.lowerBound]); n = k + 1 }
        while FileManager.default.fileExists(atPath: "\(base)-r\(n)") { n += 1 }
        return "\(base)-r\(n)"
    }

    /// `base`, or `base-2`, `base-3`... whichever does not exist yet.
    public static func freshPath(_ base: String) -> String {
        var target = base, n = 2
        while FileManager.default.fileExists(atPath: target) { target = "\(base)-\(n)"; n += 1 }
        return target
    }

    private func csvPath(_ name: String) -> String { "\(path)/\(name).csv" }

    /// A new CSV for a configuration, header written.
    public func stepWriter(_ name: String) throws(EngineError) -> LineWriter {
        try LineWriter(path: csvPath(name), header: StepCSV.header)
    }

    /// Writes sweep.csv.
    public func write(_ report: SweepReport) throws(EngineError) {
        try Self.write(report.csv, to: "\(path)/sweep.csv")
    }

    public func record(_ event: SessionEvent) {
        events.withLock { $0.write(event.csv) }
    }

    /// Adds a configuration (a fork) to run.json.
    public func add(_ configuration: Configuration) throws(EngineError) {
        let m = manifest.withLock { m in m.configurations.append(.init(configuration)); return m }
        try Self.write(m.jsonData, to: "\(path)/run.json")
    }

    /// Flushes the events and rewrites summary.json from the store.
    public func flush(_ snapshot: SessionSnapshot, state: RunSummary.State) throws(EngineError) {
        if let failure = events.withLock({ w in w.flush(); return w.failure }) { throw failure }
        try Self.write(RunSummary(state: state, updated: Date(), snapshot: snapshot).jsonData, to: "\(path)/summary.json")
    }

    /// Writes to a temporary name, then renames: a reader never sees half a file.
    static func write(_ data: Data, to file: String) throws(EngineError) {
        do { try data.write(to: URL(fileURLWithPath: file), options: .atomic) } catch {
            throw .io(path: file, message: "cannot be written (\(reason(error)))")
        }
    }

    static func write(_ text: String, to file: String) throws(EngineError) {
        do { try text.write(toFile: file, atomically: true, encoding: .utf8) } catch {
            throw .io(path: file, message: "cannot be written (\(reason(error)))")
        }
    }

    /// The POSIX reason behind a Foundation error, in words.
    static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let posix = ns.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return ns.localizedDescription
    }
}
