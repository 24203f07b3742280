import Foundation

/// Reads a run directory (docs/run-format.md) a little at a time: a finished run for `view`,
/// a run another process is still writing for `watch`, and either for `plot`.
///
/// Each `poll()` reads only what was appended since the last one and returns it as a
/// `RunDelta`; a consumer calls it again and again (until `status.isCaughtUp` to load a
/// finished run, or on a timer to follow a live one). A poll reads at most
/// `Options.maxBytesPerPoll` bytes of CSV text in all, shared among the files, so a
/// million-row file arrives in bounded chunks and every configuration advances together.
///
/// Tolerated, and reported in the delta: a directory that does not exist yet, a missing
/// run.json (the directory is then read as written before format version 1: every `*.csv`
/// with a `step` column but events.csv and sweep.csv is a configuration named after its
/// file), a run.json rewritten with more configurations, malformed rows (counted, skipped;
/// among them a step or a wall_ms that goes back), files that are not regular files (a FIFO,
/// a device, a folder, a symbolic link: never opened for reading, named in
/// `status.refusedFiles`),
/// an unterminated last line (kept in the file until its newline arrives), files truncated,
/// replaced or removed (read again from the start). Refused, by throwing: a path that is a
/// file, and a run.json of another format or a newer major version.
///
/// A value type with no shared state: poll it from one queue and hand the deltas on.
public struct RunReader: Sendable {
    public struct Options: Sendable {
        /// CSV bytes read per poll, all files together (each file gets at least 16 KiB, and a
        /// line that does not fit in its share is read whole, up to `maxLineBytes`).
        public var maxBytesPerPoll = 4 << 20
        /// Longer lines are skipped as malformed instead of being buffered.
        public var maxLineBytes = 1 << 20
        /// A run that says it is running is stale once summary.json and every CSV are this
        /// many seconds old: live writers rewrite summary.json at least once a second.
        public var staleAfterSeconds = 10.0

        public init(maxBytesPerPoll: Int = 4 << 20, maxLineBytes: Int = 1 << 20, staleAfterSeconds: Double = 10) {
            self.maxBytesPerPoll = maxBytesPerPoll
            self.maxLineBytes = maxLineBytes
            self.staleAfterSeconds = staleAfterSeconds
        }
    }

    /// A configuration's CSV and where its reading stands.
    private struct Stream: Sendable {
        var file: TailedFile
        var decoder: StepCSVDecoder?
        /// The header had no step column; nothing more is read until the file starts over.
        var notStepLog = false
        var lastStep: Int?
        /// The last row's wall_ms, which the next may equal but not go below.
        var lastWall: Double?
        var rows = 0
    }

    /// Identity and modification of a small file that is rewritten by rename.
    private struct Signature: Equatable, Sendable {
        var device: UInt64, inode: UInt64, size: Int64, seconds: Int, nanoseconds: Int
    }

    public let path: String
    public let options: Options
    /// The latest description: run.json, or what the CSV files show without it.
    public private(set) var manifest: RunManifest?
    /// The latest summary.json.
    public private(set) var summary: RunSummary?
    public private(set) var status = RunStatus()

    private var runJSON: RunManifest?
    private var runJSONSignature: Signature?
    private var summarySignature: Signature?
    /// summary.json's modification time (seconds since 1970): a heartbeat as good as `updated`.
    private var summaryModified: Double?
    private var streams: [String: Stream] = [:]
    private var events: TailedFile
    private var eventDecoder: EventDecoder?
    private var eventsUnreadable = false
    /// Legacy discovery: CSV files whose header showed they are not step logs.
    private var notConfigurations = Set<String>()
    private var discovered: [String] = []
    /// Configurations with a finished, diverged or stop event, and whether a run-wide one came.
    private var ended = Set<String>()
    private var runEnded = false
    private var scratch: [UInt8] = []

    public init(path: String, options: Options = Options()) {
        self.path = path
        self.options = options
        events = TailedFile(path: path + "/events.csv", maxLineBytes: options.maxLineBytes)
    }

    /// Reads what is new. Throws only for a run this reader refuses (see the type's comment).
    public mutating func poll(now: Date = Date()) throws(RunFileError) -> RunDelta {
        var delta = RunDelta()
        var st = stat()
        guard stat(path, &st) == 0 else {
            status.directoryExists = false
            status.isCaughtUp = true
            delta.status = status
            return delta
        }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { throw .notADirectory(path: path) }
        status.directoryExists = true

        try readRunJSON(into: &delta)
        readSummary(into: &delta)
        if runJSON == nil { discoverLegacyConfigurations(into: &delta) }
        updateManifest(into: &delta)

        let names = manifest?.configurations.map(\.name) ?? []
        let budget = max(16 << 10, options.maxBytesPerPoll / (names.count + 1))
        var caughtUp = true
        for name in names {
            if !readRows(of: name, budget: budget, into: &delta) { caughtUp = false }
        }
        if !readEvents(budget: budget, into: &delta) { caughtUp = false }

        status.isCaughtUp = caughtUp
        status.isFinished = computeFinished()
        let lastWrite = streams.values.compactMap { $0.rows > 0 ? $0.file.modified : nil }.max()
        status.secondsSinceLastRow = lastWrite.map { max(0, now.timeIntervalSince1970 - $0) }
        status.stale = computeStale(now: now)
        delta.status = status
        return delta
    }

    // MARK: run.json and summary.json

    /// The identity of a regular file, looked at without following a link; nil when it is
    /// missing or refused (and then `status.refusedFiles` says why).
    private mutating func signature(of name: String, into delta: inout RunDelta) -> Signature? {
        var st = stat()
        guard lstat(path + "/" + name, &st) == 0 else { noteRefusal(nil, file: name, into: &delta); return nil }
        if let why = TailedFile.refusal(st.st_mode) { noteRefusal(why, file: name, into: &delta); return nil }
        noteRefusal(nil, file: name, into: &delta)
        return Signature(device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: Int64(st.st_size),
                         seconds: Int(st.st_mtim.tv_sec), nanoseconds: Int(st.st_mtim.tv_nsec))
    }

    /// Records why a file is not read (nil: it is read, or missing); a new refusal is also an
    /// issue of this delta, so a one-shot reader such as `plot` can print it.
    private mutating func noteRefusal(_ why: String?, file: String, into delta: inout RunDelta) {
        guard status.refusedFiles[file] != why else { return }
        status.refusedFiles[file] = why
        if let why { delta.issues.append(.refused(file: file, why: why)) }
    }

    /// A small JSON file whole (through `TailedFile.openRegular`, so never a FIFO or a link),
    /// or nil when it is missing, unreadable or larger than 16 MiB.
    private mutating func readSmallFile(_ name: String, into delta: inout RunDelta) -> Data? {
        switch TailedFile.openRegular(path + "/" + name) {
        case .missing: return nil
        case .refused(let why): noteRefusal(why, file: name, into: &delta); return nil
        case .file(let fd, let st):
            defer { close(fd) }
            guard st.st_size <= 16 << 20 else { return nil }
            var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
            var got = 0
            while got < bytes.count {
                let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, $0.count - got) }
                if n < 0, errno == EINTR { continue }
                if n <= 0 { break }
                got += n
            }
            return Data(bytes[0..<got])
        }
    }

    private mutating func readRunJSON(into delta: inout RunDelta) throws(RunFileError) {
        let file = path + "/run.json"
        guard let sig = signature(of: "run.json", into: &delta) else { return }
        guard sig != runJSONSignature else { return }
        runJSONSignature = sig
        guard let data = readSmallFile("run.json", into: &delta) else {
            delta.issues.append(.unreadableRunJSON("cannot be read or is larger than 16 MiB")); return
        }
        guard let (parsed, skipped) = try RunManifest.parse(data, file: file) else {
            delta.issues.append(.unreadableRunJSON("not a JSON object")); return
        }
        runJSON = parsed
        delta.issues += skipped.map { .skippedConfiguration($0) }
    }

    private mutating func readSummary(into delta: inout RunDelta) {
        guard let sig = signature(of: "summary.json", into: &delta), sig != summarySignature else { return }
        summarySignature = sig
        summaryModified = Double(sig.seconds) + Double(sig.nanoseconds) / 1e9
        guard let data = readSmallFile("summary.json", into: &delta), let parsed = RunSummary.parse(data) else {
            delta.issues.append(.unreadableSummary); return
        }
        if parsed != summary {
            summary = parsed
            delta.summary = parsed
        }
    }

    /// Before format version 1: every `*.csv` with a `step` column, except events.csv and
    /// sweep.csv, is a configuration named after its file.
    private mutating func discoverLegacyConfigurations(into delta: inout RunDelta) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        for entry in entries where entry.hasSuffix(".csv") {
            let name = String(entry.dropLast(4))
            guard entry != "events.csv", entry != "sweep.csv", RunManifest.isSafeName(name),
                  !discovered.contains(name), !notConfigurations.contains(name) else { continue }
            switch Self.headerHasStepColumn(path + "/" + entry) {
            case .success(true?): discovered.append(name)
            case .success(false?): notConfigurations.insert(name)
            case .success(nil): break  // header not complete yet: look again next time
            case .failure(let refused): noteRefusal(refused.why, file: entry, into: &delta)
            }
        }
    }

    /// Why a file is not read, as an Error for a Result.
    private struct Refused: Error { var why: String }

    /// Whether a CSV's first line names a `step` column; nil while that line is incomplete.
    private static func headerHasStepColumn(_ file: String) -> Result<Bool?, Refused> {
        let fd: Int32
        switch TailedFile.openRegular(file) {
        case .missing: return .success(nil)
        case .refused(let why): return .failure(Refused(why: why))
        case .file(let f, _): fd = f
        }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0, let nl = buffer[0..<n].firstIndex(of: 10) else { return .success(n == buffer.count ? false : nil) }
        guard let names = buffer.withUnsafeBufferPointer({ CSVLine.strings(UnsafeBufferPointer(rebasing: $0[0..<nl])) }) else { return .success(false) }
        return .success(names.contains { $0.trimmingCharacters(in: .whitespaces) == "step" })
    }

    /// The legacy order: as summary.json lists the solvers (the session's order), then by name.
    private func legacyManifest() -> RunManifest {
        let order = summary?.solvers.map(\.solver) ?? []
        let sorted = discovered.sorted { a, b in
            let ia = order.firstIndex(of: a) ?? Int.max, ib = order.firstIndex(of: b) ?? Int.max
            return ia != ib ? ia < ib : a < b
        }
        let configurations = sorted.map { name -> RunManifest.Configuration in
            let fromSummary = summary?.solvers.first { $0.solver == name }
            let kind = fromSummary?.kind ?? name
            let label = fromSummary?.label ?? SolverRegistry.descriptor(SolverKind(kind))?.displayName ?? name
            return RunManifest.Configuration(name: name, kind: kind, label: label, hyperparameters: fromSummary?.hyperparameters ?? [:])
        }
        return RunManifest(version: 0, configurations: configurations)
    }

    private mutating func updateManifest(into delta: inout RunDelta) {
        let current = runJSON ?? (discovered.isEmpty ? nil : legacyManifest())
        guard let current, current != manifest else { return }
        manifest = current
        delta.manifest = current
        for c in current.configurations where streams[c.name] == nil {
            streams[c.name] = Stream(file: TailedFile(path: "\(path)/\(c.name).csv", maxLineBytes: options.maxLineBytes))
        }
    }

    // MARK: CSV files

    private mutating func noteMalformed(file: String, line: Int, _ problem: RowProblem, into delta: inout RunDelta) {
        status.malformedRows += 1
        status.malformedByFile[file, default: 0] += 1
        delta.malformed[file, default: 0] += 1
        if status.firstMalformed == nil { status.firstMalformed = "\(file) line \(line): \(problem)" }
    }

    private static func reason(_ r: TailedFile.Reset) -> RunDelta.Reset.Reason {
        switch r {
        case .truncated: .truncated
        case .replaced: .replaced
        case .removed: .removed
        }
    }

    /// Calls `body(lineNumber, start, length)` for each line of `bytes` (each ends in `\n`).
    private static func forEachLine(_ bytes: ArraySlice<UInt8>, firstLine: Int, _ body: (Int, UnsafePointer<UInt8>, Int) -> Void) {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var start = 0, line = firstLine
            while start < buffer.count {
                let rest = buffer.count - start
                let nl = memchr(base + start, 10, rest).map { UnsafeRawPointer($0) - UnsafeRawPointer(base + start) } ?? rest
                body(line, base + start, nl)
                start += nl + 1
                line += 1
            }
        }
    }

    /// Reads new rows of one configuration; false when more is waiting beyond the budget.
    private mutating func readRows(of name: String, budget: Int, into delta: inout RunDelta) -> Bool {
        guard var stream = streams[name] else { return true }
        let fileName = name + ".csv"
        let chunk = stream.file.read(budget: budget)
        noteRefusal(chunk.refused, file: fileName, into: &delta)
        if let r = chunk.reset {
            let reset = RunDelta.Reset(file: fileName, configuration: name, reason: Self.reason(r))
            delta.resets.append(reset)
            delta.issues.append(.reset(reset))
            status.rowsRead -= stream.rows
            stream = Stream(file: stream.file)
        }
        if chunk.droppedLongLine {
            noteMalformed(file: fileName, line: chunk.firstLine, .lineTooLong(bytes: options.maxLineBytes), into: &delta)
        }
        var rows: [StepRecord] = []
        let batchSize = manifest?.batchSize ?? 0
        if !chunk.bytes.isEmpty, !stream.notStepLog {
            rows.reserveCapacity(chunk.bytes.count / 96)
            var scratch = self.scratch
            var problems: [(Int, RowProblem)] = []
            let maxLine = options.maxLineBytes
            Self.forEachLine(chunk.bytes, firstLine: chunk.firstLine) { line, p, n in
                guard !stream.notStepLog else { return }
                guard let decoder = stream.decoder else {
                    let header = CSVLine.strings(UnsafeBufferPointer(start: p, count: n))
                    stream.decoder = header.flatMap(StepCSVDecoder.init(header:))
                    if stream.decoder == nil { stream.notStepLog = true }
                    return
                }
                if n == 0 || (n == 1 && p[0] == 13) { return }
                if n > maxLine { problems.append((line, .lineTooLong(bytes: maxLine))); return }
                switch decoder.decode(p, n, batchSize: batchSize, scratch: &scratch) {
                case .success(let row):
                    if let last = stream.lastStep, row.step <= last {
                        problems.append((line, .stepNotIncreasing(step: row.step, previous: last)))
                    } else if let last = stream.lastWall, row.wallMilliseconds < last {
                        // The time axis maps steps to time through these values (an empty
                        // wall_ms, NaN, is no time at all and passes).
                        problems.append((line, .wallTimeDecreasing(wall: row.wallMilliseconds, previous: last)))
                    } else {
                        stream.lastStep = row.step
                        if !row.wallMilliseconds.isNaN { stream.lastWall = row.wallMilliseconds }
                        rows.append(row)
                    }
                case .failure(let problem):
                    problems.append((line, problem))
                }
            }
            self.scratch = scratch
            for (line, problem) in problems { noteMalformed(file: fileName, line: line, problem, into: &delta) }
            if stream.notStepLog, stream.decoder == nil { delta.issues.append(.notAStepLog(file: fileName)) }
        }
        stream.rows += rows.count
        status.rowsRead += rows.count
        if !rows.isEmpty { delta.rows[name] = rows }
        streams[name] = stream
        return !chunk.more
    }

    private mutating func readEvents(budget: Int, into delta: inout RunDelta) -> Bool {
        let chunk = events.read(budget: budget)
        noteRefusal(chunk.refused, file: "events.csv", into: &delta)
        if let r = chunk.reset {
            let reset = RunDelta.Reset(file: "events.csv", configuration: nil, reason: Self.reason(r))
            delta.resets.append(reset)
            delta.issues.append(.reset(reset))
            eventDecoder = nil
            eventsUnreadable = false
            status.eventsRead = 0
            ended.removeAll()
            runEnded = false
            status.continuesIn = nil
        }
        if chunk.droppedLongLine {
            noteMalformed(file: "events.csv", line: chunk.firstLine, .lineTooLong(bytes: options.maxLineBytes), into: &delta)
        }
        guard !chunk.bytes.isEmpty, !eventsUnreadable else { return !chunk.more }
        var decoder = eventDecoder, unreadable = false
        var scratch = self.scratch
        var found: [SessionEvent] = [], problems: [(Int, RowProblem)] = []
        let maxLine = options.maxLineBytes
        Self.forEachLine(chunk.bytes, firstLine: chunk.firstLine) { line, p, n in
            guard !unreadable else { return }
            guard let d = decoder else {
                decoder = CSVLine.strings(UnsafeBufferPointer(start: p, count: n)).flatMap(EventDecoder.init(header:))
                unreadable = decoder == nil
                return
            }
            if n == 0 || (n == 1 && p[0] == 13) { return }
            if n > maxLine { problems.append((line, .lineTooLong(bytes: maxLine))); return }
            switch d.decode(p, n, scratch: &scratch) {
            case .success(let e): found.append(e)
            case .failure(let problem): problems.append((line, problem))
            }
        }
        self.scratch = scratch
        eventDecoder = decoder
        if unreadable {
            eventsUnreadable = true
            delta.issues.append(.unreadableEventsHeader(file: "events.csv"))
        }
        for (line, problem) in problems { noteMalformed(file: "events.csv", line: line, problem, into: &delta) }
        for e in found { note(e) }
        status.eventsRead += found.count
        delta.events += found
        return !chunk.more
    }

    // MARK: the end of a run

    private mutating func note(_ e: SessionEvent) {
        switch e.kind {
        case .finished, .diverged, .stop:
            if e.solver.isEmpty { runEnded = true } else { ended.insert(e.solver) }
        case .restart:
            runEnded = true
            if let next = EventDetail.successor(e.detail) { status.continuesIn = next }
        default: break
        }
    }

    /// The rule for "stale": the run is not finished, summary.json says it is running (its
    /// state, or a solver's status when it has no state), and neither summary.json's heartbeat
    /// (the later of its `updated` time and its modification time, so that a clock set wrong
    /// on either machine cannot make a live run look dead) nor any CSV has moved for
    /// `staleAfterSeconds`.
    private func computeStale(now: Date) -> RunStatus.Stale? {
        guard !status.isFinished, let s = summary else { return nil }
        let running = s.state == .running || (s.state == nil && s.solvers.contains { !$0.isDone })
        guard running else { return nil }
        let updated = s.updated.flatMap(Self.parseTime)
        guard let beat = [updated, summaryModified].compactMap({ $0 }).max() else { return nil }
        let age = now.timeIntervalSince1970 - beat
        let limit = options.staleAfterSeconds
        guard age >= limit, (status.secondsSinceLastRow ?? .infinity) >= limit else { return nil }
        // The heartbeat shown is the one the age is counted from.
        let since = updated == beat ? s.updated.map(CSVLine.printable)! : ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: beat))
        return RunStatus.Stale(since: since, seconds: age)
    }

    /// An ISO 8601 time as the writers write it, with or without fractions of a second.
    static func parseTime(_ text: String) -> Double? {
        let plain = ISO8601DateFormatter()
        if let d = plain.date(from: text) { return d.timeIntervalSince1970 }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)?.timeIntervalSince1970
    }

    private func computeFinished() -> Bool {
        if let state = summary?.state, state == .finished || state == .stopped { return true }
        if runEnded { return true }
        let names = manifest?.configurations.map(\.name) ?? []
        guard !names.isEmpty else { return false }
        if names.allSatisfy(ended.contains) { return true }
        // Written before format version 1: no state, but every solver's status says it ended.
        if let s = summary, s.state == nil, !s.solvers.isEmpty, s.solvers.allSatisfy(\.isDone),
           names.allSatisfy({ n in s.solvers.contains { $0.solver == n } }) { return true }
        return false
    }
}
