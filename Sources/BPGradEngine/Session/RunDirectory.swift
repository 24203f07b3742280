import Foundation

/// One run's directory (docs/run-format.md): run.json, the resolved preset, one CSV per
/// configuration, events.csv, commands.jsonl and summary.json. A directory that already
/// holds anything is never written into: a second run gets its own.
///
/// The directory is opened once and every file is made relative to that descriptor with
/// `O_CREAT | O_EXCL | O_NOFOLLOW`: a file (or a link) that someone put at one of its names,
/// even after the run started, makes that one write fail with a message; it is never
/// truncated, and no write follows a link out of the directory. run.json and summary.json
/// are replaced whole through a temporary made the same way, then renamed (a rename replaces a
/// link planted at the name, never its target).
///
/// Every write is checked. Each file fails on its own (a full disk stops events.csv without
/// stopping the summary rewrites), each failure is reported once, and `writeFailure` keeps the
/// first, for an exit code.
public final class RunDirectory: Sendable {
    public let path: String
    /// The run directory, open for the `*at` calls.
    private let fd: Int32
    private let events: Locked<LineWriter>
    private let manifest: Locked<RunManifest>
    public let commands: Locked<CommandFeed>
    /// Files whose failure has been reported, and the first failure of all.
    private let failures = Locked<(reported: Set<String>, first: EngineError?)>(([], nil))
    private let temporaries = Locked(0)

    /// Creates `explicitPath` (which must not exist, or be an empty directory, not a link), or a
    /// fresh time-stamped folder under `runs/`.
    public init(experiment: Experiment, configurations: [Configuration], totalSteps: Int?, explicitPath: String? = nil,
                previous: String? = nil, date: Date = Date()) throws(EngineError) {
        if let problem = ConfigurationName.problem(in: configurations.map(\.name)) {
            throw .invalidValue(field: "configurations", message: problem)
        }
        let preset = experiment.preset
        var target: String
        if let explicitPath {
            target = explicitPath
        } else {
            let f = DateFormatter()
            f.dateFormat = "yyyyMMdd-HHmmss"
            f.locale = Locale(identifier: "en_US_POSIX")
            let safeName = preset.name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" }
            target = Self.freshPath("runs/\(f.string(from: date))-\(String(safeName))")
        }
        let d = try Self.openEmptyDirectory(target)
        fd = d
        path = target
        let m = RunManifest(created: date, preset: preset.name, dataset: "\(experiment.data.name) (\(experiment.data.train.count) train)",
                            network: experiment.networkSummary, parameters: experiment.parameterCount,
                            batchSize: preset.training.batchSize, stepsPerEpoch: experiment.stepsPerEpoch, totalSteps: totalSteps,
                            previous: previous, configurations: configurations)
        manifest = Locked(m)
        commands = Locked(CommandFeed(path: "\(target)/commands.jsonl"))
        do {
            try Self.create("commands.jsonl", in: d, shownAs: "\(target)/commands.jsonl", contents: Data())
            try Self.create("preset.yaml", in: d, shownAs: "\(target)/preset.yaml", contents: Data(preset.resolvedYAML.utf8))
            events = Locked(try LineWriter(directory: d, name: "events.csv", path: "\(target)/events.csv", header: SessionEvent.csvHeader))
        } catch {
            Foundation.close(d)
            throw error
        }
        let failures = self.failures
        events.withLock { $0.onFailure = { e in Self.keep(e, in: failures) } }
        try replace("run.json", with: m.jsonData)
    }

    deinit { Foundation.close(fd) }

    /// The first write that failed in this run directory (a step log, events.csv, summary.json,
    /// run.json, sweep.csv), or nil while everything reached its file: a run whose files are
    /// incomplete must not end with exit code 0.
    public var writeFailure: EngineError? { failures.withLock { $0.first } }

    /// Opens `target` as a directory that holds nothing, creating it (and its parents) if needed.
    private static func openEmptyDirectory(_ target: String) throws(EngineError) -> Int32 {
        let fm = FileManager.default
        var st = stat()
        if lstat(target, &st) == 0 {
            // O_NOFOLLOW with O_DIRECTORY says ENOTDIR for a link on Linux: tell it apart first.
            if st.st_mode & S_IFMT == S_IFLNK {
                throw .io(path: target, message: "is a symbolic link; give --run-dir the directory itself (a run directory is never reached through a link)")
            }
        } else {
            do { try fm.createDirectory(atPath: target, withIntermediateDirectories: true) } catch {
                throw .io(path: target, message: "cannot create the run directory (\(reason(error)))")
            }
        }
        let d = open(target, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard d >= 0 else {
            let why: String
            switch errno {
            case ELOOP: why = "is a symbolic link; give --run-dir the directory itself (a run directory is never reached through a link)"
            case ENOTDIR: why = "is a file, not a directory; give --run-dir a new directory"
            default: why = "cannot be opened as the run directory (\(String(cString: strerror(errno))))"
            }
            throw .io(path: target, message: why)
        }
        let contents = (try? fm.contentsOfDirectory(atPath: target)) ?? []
        guard contents.isEmpty else {
            close(d)
            throw .io(path: target, message: "already holds a run (\(contents.sorted().prefix(3).joined(separator: ", "))); a run directory is never written twice. Give --run-dir a new directory, or leave it out for a fresh one under runs/")
        }
        return d
    }

    /// Where a restarted run continues: `DIR-r2`, then `-r3`..., whichever does not exist yet.
    /// A suffix too large to add one to is an error that says so.
    public static func successor(of path: String) throws(EngineError) -> String {
        var base = path, n = 2
        if let r = path.range(of: "-r", options: .backwards), let k = Int(path[r.upperBound...]), k >= 0 {
            base = String(path[..<r.lowerBound])
            let (next, overflow) = k.addingReportingOverflow(1)
            guard !overflow else {
                throw .invalidValue(field: "restart", message: "\(path): the run number after '-r' is too large to count on from; give --run-dir a name without that suffix")
            }
            n = next
        }
        while FileManager.default.fileExists(atPath: "\(base)-r\(n)") {
            let (next, overflow) = n.addingReportingOverflow(1)
            guard !overflow else {
                throw .invalidValue(field: "restart", message: "\(base)-r\(n): every run number after '-r' is taken")
            }
            n = next
        }
        return "\(base)-r\(n)"
    }

    /// `successor(of:)`, for a caller that cannot stop: where the suffix cannot be counted on,
    /// the whole path starts a new series (`DIR-r9223372036854775807-r2`).
    public static func successorPath(of path: String) -> String {
        if let next = try? successor(of: path) { return next }
        return (try? successor(of: path + "-r1")) ?? path + "-r2"
    }

    /// `base`, or `base-2`, `base-3`... whichever does not exist yet.
    public static func freshPath(_ base: String) -> String {
        var target = base, n = 2
        while FileManager.default.fileExists(atPath: target) { target = "\(base)-\(n)"; n += 1 }
        return target
    }

    /// A new CSV for a configuration, header written; its failure is the directory's too.
    public func stepWriter(_ name: String) throws(EngineError) -> LineWriter {
        if let problem = ConfigurationName.problem(name) { throw .invalidValue(field: "configuration name", message: problem) }
        let file = "\(name).csv"
        let writer: LineWriter
        do { writer = try LineWriter(directory: fd, name: file, path: "\(path)/\(file)", header: StepCSV.header) } catch {
            Self.keep(error, in: failures)
            throw error
        }
        let failures = self.failures
        writer.onFailure = { e in Self.keep(e, in: failures) }
        return writer
    }

    /// Writes sweep.csv.
    public func write(_ report: SweepReport) throws(EngineError) {
        do { try Self.create("sweep.csv", in: fd, shownAs: "\(path)/sweep.csv", contents: Data(report.csv.utf8)) } catch {
            Self.keep(error, in: failures)
            throw error
        }
    }

    public func record(_ event: SessionEvent) {
        events.withLock { $0.write(event.csv) }
    }

    /// Reads what viewers appended to commands.jsonl and routes it (`CommandRouting`): the
    /// events it produced (rejections, an unreadable file) are recorded here and returned with
    /// the commands to send.
    public func pollCommands(_ snapshot: SessionSnapshot) -> [CommandRouting.Outcome] {
        let entries = commands.withLock { $0.read() }
        guard !entries.isEmpty else { return [] }
        let outcomes = CommandRouting.route(entries, snapshot: snapshot)
        for case .event(let e) in outcomes { record(e) }
        return outcomes
    }

    /// Adds a configuration (a fork) to run.json.
    public func add(_ configuration: Configuration) throws(EngineError) {
        // Checked, added and written under one lock: two forks at once can neither both take a
        // name nor leave the older list in run.json.
        let added: Result<Void, EngineError> = manifest.withLock { m in
            let names = m.configurations.map(\.name) + [configuration.name]
            if let problem = ConfigurationName.problem(in: names) { return .failure(.invalidValue(field: "configuration name", message: problem)) }
            var next = m
            next.configurations.append(.init(configuration))
            do throws(EngineError) { try replace("run.json", with: next.jsonData) } catch { return .failure(error) }
            m = next
            return .success(())
        }
        try added.get()
    }

    /// Flushes the events and rewrites summary.json from the store. Each file is tried whatever
    /// happened to the other; a failure is thrown the first time it happens, not again.
    public func flush(_ snapshot: SessionSnapshot, state: RunSummary.State) throws(EngineError) {
        var fresh = [EngineError]()
        if let failure = events.withLock({ w in w.flush(); return w.failure }), firstReport(of: "events.csv") { fresh.append(failure) }
        do { try replace("summary.json", with: RunSummary(state: state, updated: Date(), snapshot: snapshot).jsonData) } catch {
            if firstReport(of: "summary.json") { fresh.append(error) }
        }
        guard let first = fresh.first else { return }
        if fresh.count == 1 { throw first }
        throw .io(path: path, message: fresh.map(\.description).joined(separator: "; "))
    }

    /// True the first time `file`'s failure is reported.
    private func firstReport(of file: String) -> Bool { failures.withLock { $0.reported.insert(file).inserted } }

    private static func keep(_ error: EngineError, in failures: Locked<(reported: Set<String>, first: EngineError?)>) {
        failures.withLock { if $0.first == nil { $0.first = error } }
    }

    /// Replaces `name` whole: written to a fresh temporary beside it, then renamed.
    private func replace(_ name: String, with data: Data) throws(EngineError) {
        let n = temporaries.withLock { n in n += 1; return n }
        let temporary = ".\(name).tmp-\(getpid())-\(n)"
        do throws(EngineError) {
            try Self.create(temporary, in: fd, shownAs: "\(path)/\(name)", contents: data)
            guard renameat(fd, temporary, fd, name) == 0 else {
                let why = String(cString: strerror(errno))
                unlinkat(fd, temporary, 0)
                throw EngineError.io(path: "\(path)/\(name)", message: "cannot be replaced (\(why))")
            }
        } catch {
            Self.keep(error, in: failures)
            throw error
        }
    }

    /// Creates `name` in the directory, which must not exist, and writes `contents` with
    /// checked writes; a file that could not be written whole is removed. Messages call it `file`.
    private static func create(_ name: String, in directory: Int32, shownAs file: String, contents: Data) throws(EngineError) {
        let f = openat(directory, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard f >= 0 else { throw .io(path: file, message: LineWriter.createReason(errno)) }
        var failure: Int32?
        contents.withUnsafeBytes { bytes in
            var done = 0
            while done < bytes.count {
                let n = Foundation.write(f, bytes.baseAddress! + done, bytes.count - done)
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { failure = n < 0 ? errno : EIO; return }
                done += n
            }
        }
        if Foundation.close(f) != 0, failure == nil { failure = errno }
        if let failure {
            unlinkat(directory, name, 0)
            throw .io(path: file, message: "cannot be written (\(String(cString: strerror(failure))))")
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
