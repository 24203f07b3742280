@testable import BPGradEngine
import Foundation
import XCTest

/// A seeded fuzz of the Swift commands.jsonl reader (CommandFeed, then CommandRouting, then the
/// workers) under a live training session: the Swift twin of python/tests/test_commands_fuzz.py,
/// with the same families of lines (deep nesting, huge numbers and 400-digit integers, NaN and
/// Infinity literals, every field with every wrong JSON type, unicode, control characters, long
/// strings, lines over 64 KiB, random and non-UTF-8 bytes, and valid commands of every kind:
/// `set` for every solver's every hyperparameter in and out of range, pause and resume, with and
/// without `id`, for every configuration, an unknown one or all).
///
/// The lines are appended in batches of 1 to 20, now and then with the next line cut in two
/// across batches, to the commands.jsonl of a real `Session` (tiny preset; bpgrad, adam, sgd,
/// rmsprop; `.live`) while it trains, and picked up by the session's own poll. The checks:
/// nothing crashes; every line has the outcome docs/run-format.md gives it; every event a line
/// with an id caused carries ` (command ID)`; a `set` that changes nothing writes no event;
/// after a final resume every configuration that did not diverge is running and takes steps;
/// `stop()` returns.
///
/// How outcomes are matched to lines: the session polls every 250 ms and its workers apply
/// what the router sent on their own queues, so events of many lines interleave and an event
/// says nothing of its line but the ` (command ID)` at its end. Every string id the fuzz writes
/// is therefore unique (`k<line>#...`), and each line is checked on its own through it. Lines
/// sharing an id (no id at all, numbers as ids, the empty string) are checked as a group: the
/// group's count of each (configuration, event kind) must lie between the sums of its lines'
/// least and most. The router's share is exact in both cases (a bad line, a configuration that
/// does not exist, a hyperparameter nobody has, a value of the wrong type or out of range: one
/// `rejected`, run-wide or for the one configuration that refused); what a worker does with a
/// command it was sent (`set`, or nothing when the value is the one in force, or a rejection by
/// a rule between two hyperparameters; `pause` or nothing when already paused) is at most one
/// event per configuration. What the writer sees as the line's id is taken from
/// `RunCommand.parse` (the id a number becomes, an id in a line that is not a command); the
/// generator's own classes are checked against it (a garbage line must be a bad command).
///
/// BPGRAD_FUZZ_SEED (default 1) and BPGRAD_FUZZ_LINES (default 3000) run other seeds or more lines.
final class CommandFuzzTests: XCTestCase {
    static let seed = UInt64(ProcessInfo.processInfo.environment["BPGRAD_FUZZ_SEED"] ?? "") ?? 1
    static let lineCount = Int(ProcessInfo.processInfo.environment["BPGRAD_FUZZ_LINES"] ?? "") ?? 3000
    /// Lines per session: a fresh one now and then, since a configuration that a fuzzed value made
    /// diverge takes no more steps.
    static let segment = 1000
    static let configurationText = "bpgrad, adam, sgd, rmsprop"

    func testFuzzedCommandsHaveTheirDocumentedOutcomesAndTrainingGoesOn() throws {
        let e = try Experiment(preset: PresetLibrary.parse(yaml: PresetTests.minimal, file: "tiny.yaml", overrides: []))
        let configurations = try e.preset.configurations(Self.configurationText)
        XCTAssertEqual(configurations.map(\.name), ["bpgrad", "adam", "sgd", "rmsprop"])
        var rng = FuzzRandom(seed: Self.seed)
        var generator = FuzzGenerator(configurations: configurations)
        let lines = (0..<Self.lineCount).map { generator.line(&rng, number: $0) }
        var totals = [EventKind: Int]()
        var advanced = 0
        let root = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for (k, start) in stride(from: 0, to: lines.count, by: Self.segment).enumerated() {
            let part = Array(lines[start..<min(lines.count, start + Self.segment)])
            let outcome = try fuzzOneSession(e, configurations, part, first: start, dir: "\(root)/run\(k)", rng: &rng)
            totals.merge(outcome.counts) { $0 + $1 }
            advanced += outcome.advanced
        }
        // The fuzz reached what it is for: changes applied, pauses, every kind of refusal, and
        // training that went on.
        let n = lines.count
        print("command fuzz, seed \(Self.seed), \(n) lines: \(totals.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")); \(advanced) configuration(s) trained on")
        XCTAssertGreaterThan(totals[.set, default: 0], n / 20, "\(totals)")
        XCTAssertGreaterThan(totals[.pause, default: 0], n / 100, "\(totals)")
        XCTAssertGreaterThan(totals[.rejected, default: 0], n / 3, "\(totals)")
        XCTAssertGreaterThan(advanced, 0, "no configuration trained on after the fuzz in any session")
    }

    // MARK: One session

    private func fuzzOneSession(_ e: Experiment, _ configurations: [Configuration], _ lines: [FuzzLine], first: Int, dir: String,
                                rng: inout FuzzRandom) throws -> (counts: [EventKind: Int], advanced: Int) {
        let run = try RunDirectory(experiment: e, configurations: configurations, totalSteps: e.totalSteps, explicitPath: dir)
        var options = Session.Options.live
        // Training goes on throughout, throttled so that four workers leave a 2-core machine to
        // the poll and the writer.
        options.speed = 400
        let s = try Session(experiment: e, configurations: configurations, runDirectory: run, options: options)
        s.start()
        var stopped = false
        defer { if !stopped { s.stop() } }
        let path = "\(dir)/commands.jsonl"
        let names = configurations.map(\.name)
        var harness = [FuzzLine]()

        // 1. The fuzz, in batches.
        var i = 0, tail = [UInt8](), partials = 0
        while i < lines.count {
            var chunk = tail
            tail = []
            let n = min(rng.int(1...20), lines.count - i)
            for line in lines[i..<i + n] { chunk += line.bytes + [10] }
            i += n
            var sleep = rng.chance(0.15) ? rng.int(5...60) : rng.int(0...2)
            if i < lines.count, lines[i].bytes.count > 0, rng.chance(0.06) {
                // The next line cut in two: its head now, the rest with the next batch. A poll
                // in between (the sleep spans the session's 250 ms poll now and then) must keep
                // the head until its newline arrives.
                let next = lines[i].bytes + [10]
                let cut = rng.int(1...next.count - 1)
                chunk += next[..<cut]
                tail = Array(next[cut...])
                i += 1
                partials += 1
                sleep = rng.int(100...300)
            }
            try append(chunk, to: path)
            if sleep > 0 { usleep(UInt32(sleep) * 1000) }
        }
        try append(tail, to: path)

        // 2. A resume for everyone, then a barrier: one set per configuration that changes a
        // value nothing else sets. Each worker applies its commands in order, so once the four
        // barrier events are in, every outcome of the fuzz is.
        let resume = FuzzLine(text: #"{"id": "final-resume", "command": "resume"}"#, family: "harness resume")
        harness.append(resume)
        try append(resume.bytes + [10], to: path)
        try barrier("b1", value: 0.000123456789, names: names, path: path, session: s, harness: &harness)

        // 3. Training goes on for every configuration that did not diverge.
        // Polled with a deadline rather than one fixed sleep: a loaded machine may be slow.
        let before = s.store.snapshot().configurations
        let deadline = Date().addingTimeInterval(20)
        func allMoved(_ now: [ConfigurationMetrics]) -> Bool {
            zip(before, now).allSatisfy { b, a in
                if case .diverged = a.status { return true }
                return a.step > b.step
            }
        }
        while Date() < deadline, !allMoved(s.store.snapshot().configurations) { usleep(20_000) }
        let after = s.store.snapshot().configurations
        var advanced = 0
        for (b, a) in zip(before, after) {
            if case .diverged = a.status { continue }
            XCTAssertEqual(a.status, .running, "\(a.name) after the final resume (seed \(Self.seed), lines \(first)...)")
            XCTAssertGreaterThan(a.step, b.step, "\(a.name) took no step after the fuzz (seed \(Self.seed))")
            if a.step > b.step { advanced += 1 }
        }

        // 4. A set to the value in force changes nothing and writes no event: one for every
        // hyperparameter of every configuration, then a second barrier.
        for c in after {
            for key in c.hyper.schema.keys {
                guard let v = c.hyper[key] else { continue }
                let value: RunCommand.Value = switch v {
                case .number(let x): .number(x)
                case .flag(let b): .bool(b)
                case .choice(let t): .string(t)
                }
                let line = FuzzLine(text: try RunCommand(solver: c.name, .set(name: key.rawValue, value: value)).jsonLine(id: "noop-\(c.name)-\(key)"),
                                    family: "no-op set")
                harness.append(line)
                try append(line.bytes + [10], to: path)
            }
        }
        try barrier("b2", value: 0.000223456789, names: names, path: path, session: s, harness: &harness)

        // 5. stop() returns.
        let done = DispatchSemaphore(value: 0)
        let session = s
        Thread.detachNewThread { session.stop(); done.signal() }
        XCTAssertEqual(done.wait(timeout: .now() + 20), .success, "stop() did not return")
        stopped = true

        // 6. Every line's outcome, from events.csv.
        let events = try readEvents("\(dir)/events.csv")
        XCTAssertEqual(events.filter { $0.kind == "error" }.map(\.detail), [], "no error event")
        return (check(events, lines: lines + harness, first: first, names: names, configurations: configurations), advanced)
    }

    private func append(_ bytes: [UInt8], to path: String) throws {
        guard !bytes.isEmpty else { return }
        let fd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw NSError(domain: "fuzz", code: Int(errno)) }
        defer { close(fd) }
        // One write, as viewers write a line.
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        XCTAssertEqual(written, bytes.count)
    }

    private func barrier(_ tag: String, value: Double, names: [String], path: String, session: Session, harness: inout [FuzzLine]) throws {
        var ids = [String]()
        for name in names {
            let id = "barrier-\(tag)-\(name)"
            let line = FuzzLine(text: try RunCommand(solver: name, .set(name: "weight_decay", value: .number(value))).jsonLine(id: id),
                                family: "barrier", barrier: true)
            harness.append(line)
            ids.append(id)
            try append(line.bytes + [10], to: path)
        }
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let events = session.store.snapshot().events
            if ids.allSatisfy({ id in events.contains { $0.kind == .set && EventDetail.answers($0.detail, command: id) } }) { return }
            usleep(20_000)
        }
        XCTFail("the barrier \(tag) was not applied within 30 s: the session stopped reading commands")
    }

    // MARK: Checking outcomes

    struct Event { var solver: String, kind: String, detail: String }

    /// events.csv as SessionEvent.csv writes it: four plain fields, then the detail (quoted,
    /// inner quotes doubled, when it holds a comma or a quote; newlines written as spaces).
    private func readEvents(_ path: String) throws -> [Event] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var out = [Event]()
        for raw in data.split(separator: 10, omittingEmptySubsequences: true).dropFirst() {
            let line = String(decoding: raw, as: UTF8.self)
            let fields = line.split(separator: ",", maxSplits: 4, omittingEmptySubsequences: false)
            guard fields.count == 5 else { XCTFail("malformed events.csv row: \(line.prefix(200))"); continue }
            var detail = String(fields[4])
            if detail.hasPrefix("\"") {
                XCTAssertTrue(detail.count >= 2 && detail.hasSuffix("\""), "detail: \(detail.prefix(200))")
                detail = String(detail.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
            }
            out.append(Event(solver: String(fields[2]), kind: String(fields[3]), detail: detail))
        }
        return out
    }

    /// Checks every group of lines (one id, or none) against its events; returns the count of
    /// each outcome kind the fuzz lines caused.
    private func check(_ events: [Event], lines: [FuzzLine], first: Int, names: [String], configurations: [Configuration]) -> [EventKind: Int] {
        // Lines by the id the writer sees, with newlines as events.csv writes them.
        var groupOf = [String: Int]()
        var groups = [[Int]]()
        let noID = 0
        groups.append([])
        var expected = [Bounds]()
        expected.append(Bounds())
        for (i, line) in lines.enumerated() {
            let (bounds, id) = expectation(line, names: names, configurations: configurations, where: "line \(first + i + 1)")
            let g: Int
            if let id {
                let key = id.replacingOccurrences(of: "\n", with: " ")
                if let known = groupOf[key] { g = known } else {
                    g = groups.count
                    groupOf[key] = g
                    groups.append([])
                    expected.append(Bounds())
                }
            } else {
                g = noID
            }
            groups[g].append(i)
            expected[g].add(bounds)
        }
        var observed = [Bounds](repeating: Bounds(), count: groups.count)
        var counts = [EventKind: Int]()
        for e in events {
            guard let kind = EventKind(rawValue: e.kind), [.set, .rejected, .pause, .resume].contains(kind) else { continue }
            let g = owner(of: e.detail, among: groupOf) ?? noID
            observed[g].count(solver: e.solver, kind: kind)
            if g == noID || !lines[groups[g][0]].harness { counts[kind, default: 0] += 1 }
        }
        var failures = 0
        for g in groups.indices where failures < 10 {
            let problems = expected[g].violations(by: observed[g])
            guard !problems.isEmpty else { continue }
            failures += 1
            let members = groups[g].prefix(5).map { i in
                let l = lines[i]
                return "\(l.harness ? "harness" : "line \(first + i + 1)") [\(l.family)] \(String(decoding: l.bytes.prefix(160), as: UTF8.self).debugDescription)"
            }
            let theirs = events.filter { ["set", "rejected", "pause", "resume"].contains($0.kind) && (owner(of: $0.detail, among: groupOf) ?? noID) == g }.prefix(8)
                .map { "\($0.solver)/\($0.kind): \($0.detail.prefix(160))" }
            XCTFail("""
                seed \(Self.seed): \(g == noID ? "the lines without an id" : "the line(s) with one id") \
                (\(groups[g].count) line(s), e.g. \(members)) gave \(problems.joined(separator: "; ")); events: \(theirs)
                """)
        }
        return counts
    }

    /// The group an event belongs to: the id its detail ends with (` (command ID)`, or the whole
    /// detail `(command ID)` of a pause or resume); the longest when several would fit.
    private func owner(of detail: String, among ids: [String: Int]) -> Int? {
        guard detail.hasSuffix(")") else { return nil }
        var from = detail.startIndex
        while let r = detail.range(of: "(command ", range: from..<detail.endIndex) {
            if r.lowerBound == detail.startIndex || detail[detail.index(before: r.lowerBound)] == " " {
                let candidate = String(detail[r.upperBound..<detail.index(before: detail.endIndex)])
                if let g = ids[candidate] { return g }
            }
            from = detail.index(after: r.lowerBound)
        }
        return nil
    }

    /// What one line may cause, by (configuration, kind), and the id the writer sees in it.
    private func expectation(_ line: FuzzLine, names: [String], configurations: [Configuration], where place: String) -> (Bounds, String?) {
        var b = Bounds()
        let runWide = { b.add("", .rejected, 1, 1) }
        if line.bytes.count > CommandFeed.lineLimit {
            runWide()
            return (b, nil)
        }
        guard let parsed = RunCommand.parse(Data(line.bytes)) else {
            XCTAssertFalse(line.garbage, "\(place): a garbage line read as blank: \(line.bytes.prefix(80))")
            return (b, nil)
        }
        switch parsed {
        case let .invalid(_, id):
            runWide()
            return (b, id)
        case let .command(command, id):
            XCTAssertFalse(line.garbage, "\(place): a garbage line read as a command: \(String(decoding: line.bytes.prefix(200), as: UTF8.self))")
            var targets = names
            if let solver = command.solver {
                guard names.contains(solver) else { runWide(); return (b, id) }
                targets = [solver]
            }
            switch command.action {
            case .pause, .resume:
                for t in targets { b.add(t, command.action == .pause ? .pause : .resume, 0, 1) }
            case let .set(name, value):
                let key = HyperKey(name)
                let hyper = { (t: String) in configurations.first { $0.name == t }!.hyperparameters }
                if let solver = command.solver, hyper(solver)[key] == nil {
                    b.add(solver, .rejected, 1, 1)
                    break
                }
                let reached = targets.filter { hyper($0)[key] != nil }
                guard !reached.isEmpty else { runWide(); break }
                let refused = reached.filter { !Self.accepts(value, key, hyper($0)) }
                if refused.count == 1 { b.add(refused[0], .rejected, 1, 1) } else if refused.count > 1 { runWide() }
                for t in reached where !refused.contains(t) {
                    // The worker: the change, or nothing when the value is the one in force, or a
                    // refusal by a rule between two hyperparameters; one of them at most.
                    b.add(t, .set, line.barrier ? 1 : 0, 1)
                    b.add(t, .rejected, 0, line.barrier ? 0 : 1)
                    b.total[t, default: (0, 0)].hi -= line.barrier ? 0 : 1
                }
                if line.family == "no-op set" { b = Bounds() }
            }
            return (b, id)
        }
    }

    /// Whether the router lets `value` through to a configuration with `h` (the documented
    /// typing: a number for a number, a boolean for a flag, a string for a choice; in range).
    static func accepts(_ value: RunCommand.Value, _ key: HyperKey, _ h: Hyperparameters) -> Bool {
        guard let info = try? h.schema.info(key) else { return false }
        let candidate: HyperValue
        switch (info.domain, value) {
        case (.real, .number(let x)): candidate = .number(x)
        case (.flag, .bool(let v)): candidate = .flag(v)
        case (.choice, .string(let s)): candidate = .choice(s)
        default: return false
        }
        return (try? info.validate(candidate, solver: h.kind.rawValue)) != nil
    }

    /// Least and most events by (configuration, kind), and by configuration of any kind.
    struct Bounds {
        var byKind = [String: (lo: Int, hi: Int)]()
        var total = [String: (lo: Int, hi: Int)]()

        mutating func add(_ solver: String, _ kind: EventKind, _ lo: Int, _ hi: Int) {
            byKind["\(solver)|\(kind.rawValue)", default: (0, 0)].lo += lo
            byKind["\(solver)|\(kind.rawValue)", default: (0, 0)].hi += hi
            total[solver, default: (0, 0)].lo += lo
            total[solver, default: (0, 0)].hi += hi
        }

        mutating func add(_ other: Bounds) {
            for (k, v) in other.byKind { byKind[k, default: (0, 0)].lo += v.lo; byKind[k, default: (0, 0)].hi += v.hi }
            for (k, v) in other.total { total[k, default: (0, 0)].lo += v.lo; total[k, default: (0, 0)].hi += v.hi }
        }

        mutating func count(solver: String, kind: EventKind) { add(solver, kind, 1, 1) }

        /// What `observed` (counts in `lo`) breaks of these bounds.
        func violations(by observed: Bounds) -> [String] {
            var out = [String]()
            for (table, seen, what) in [(byKind, observed.byKind, ""), (total, observed.total, " (any kind)")] {
                for key in Set(table.keys).union(seen.keys).sorted() {
                    let n = seen[key]?.lo ?? 0, want = table[key] ?? (0, 0)
                    if n < want.lo || n > want.hi {
                        out.append("\(key.isEmpty ? "run-wide" : key)\(what): \(n) event(s), expected \(want.lo == want.hi ? "\(want.lo)" : "\(want.lo)...\(want.hi)")")
                    }
                }
            }
            return out
        }
    }
}

// MARK: The generator

/// SplitMix64: small, seeded, the same on every platform.
struct FuzzRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 ^ 0xD1B5_4A32_D192_ED03 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + below(r.count) }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func chance(_ p: Double) -> Bool { unit() < p }
    mutating func pick<T>(_ a: [T]) -> T { a[below(a.count)] }
    mutating func shuffle<T>(_ a: inout [T]) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, below(i + 1)) }
    }
}

/// One fuzz line, without its newline.
struct FuzzLine {
    var bytes: [UInt8]
    var family: String
    /// Can only be a bad command (one run-wide rejection).
    var garbage = false
    /// Written by the harness, not the fuzz (not counted in the fuzz's totals).
    var harness = false
    /// A barrier: exactly one `set` per configuration it names.
    var barrier = false

    init(bytes: [UInt8], family: String, garbage: Bool = false) {
        precondition(!bytes.contains(10))
        self.bytes = bytes; self.family = family; self.garbage = garbage
    }

    init(text: String, family: String, barrier: Bool = false) {
        self.init(bytes: Array(text.utf8), family: family)
        harness = true
        self.barrier = barrier
    }
}

/// The families of python/tests/test_commands_fuzz.py, writing JSON by hand so that what no
/// JSON writer makes (NaN, 1e400, 5,000 digits, lone surrogates, raw control characters) gets in.
struct FuzzGenerator {
    let configurations: [Configuration]

    static let names = ["lr", "momentum", "dampening", "nesterov", "weight_decay", "beta1", "beta2", "eps", "alpha", "centered",
                        "lipschitz", "rho", "eta_placement", "loss_source", "betas", "amsgrad", "foreach", "maximize", "params",
                        "initial_accumulator_value", "", "LR", "lr ", "zeta", "\u{e9}t\u{e9}", "\\u0000", "\\u001b[2J", "\\ud800"]
    /// JSON texts of a `solver` field.
    static let solvers = ["null", #""sgd""#, #""adam""#, #""rmsprop""#, #""bpgrad""#, #""SGD""#, #""nobody""#, #""""#, #"" sgd""#,
                          #""..""#, #""events""#, "5", "true", "[]", "{}"]
    static let tameValues = ["0", "0.001", "0.01", "0.05", "0.1", "0.5", "0.9", "0.99", "1", "2", "10", "50", "true", "false",
                             #""paper""#, #""reference""#, #""batch""#, #""epoch_mean""#]

    mutating func line(_ rng: inout FuzzRandom, number: Int) -> FuzzLine {
        let r = rng.unit()
        if r < 0.55 { return commandLine(&rng, number: number) }
        if r < 0.70 { return schemaLine(&rng, number: number) }
        if r < 0.97 { return garbageLine(&rng) }
        return FuzzLine(bytes: Array(rng.pick(["", "   ", "\t", "\r"]).utf8), family: "blank")
    }

    // Numbers and strings

    func hostileNumber(_ rng: inout FuzzRandom) -> String {
        switch rng.below(40) {
        case 0: String(repeating: "9", count: rng.int(300...4000))
        case 1: "-" + String(repeating: "9", count: 400)
        case 2: String(repeating: "1", count: 400) + ".5e-390"
        case 3: "\(rng.unit() * 4 - 2)"
        case 4: "\(rng.unit())"
        case 5: "\(rng.unit() * pow(10, Double(rng.int(-30...30))))"
        default: rng.pick(["1e400", "-1e400", "1e308", "-1e308", "4.9e-324", "1e-320", "0", "-0", "-0.0", "0.0", "1", "-1", "0.5",
                           "0.999999999999", "1.0000000001", "1e-8", "2", "1e300", "NaN", "Infinity", "-Infinity", "nan", "inf",
                           "0x10", "1_000", ".5", "5.", "+1", "01", "1e", "--1", "1E+2", "-0e0"])
        }
    }

    /// The body of a JSON string literal (between its quotes).
    func hostileString(_ rng: inout FuzzRandom) -> String {
        switch rng.below(8) {
        case 0:
            return rng.pick(["paper", "reference", "batch", "epoch_mean", "true", "false", "16", "0x10", "1e-3", "", " ", "null",
                             "pause", "resume"])
        case 1:
            // Control characters: escaped, or now and then raw (not JSON: a bad line).
            return (0..<rng.int(1...20)).map { _ in
                let c = rng.below(0x20)
                return c != 10 && rng.chance(0.05) ? String(UnicodeScalar(UInt8(c))) : Self.escape(UInt32(c))
            }.joined()
        case 2:
            return (0..<rng.int(1...40)).map { _ in
                let v = UInt32(0x80 + rng.below(0x2FFF - 0x80))
                return rng.chance(0.5) ? String(UnicodeScalar(v)!) : Self.escape(v)
            }.joined()
        case 3:
            return String(repeating: "x", count: rng.pick([100, 5000, 60000]))
        case 4:
            return "\\ud800" + rng.pick(["", "\\udfff", "a", "\\ud800"])
        case 5:
            return rng.chance(0.5) ? "\u{202e}\u{feff}\u{85}\u{2028}\u{2029}\u{7f}\u{9b}" : "\\u202e\\ufeff\\u0085\\u2028\\u2029\\u007f\\u009b"
        default:
            return (0..<rng.int(0...30)).map { _ in
                switch rng.pick(Array("abcdefghij_-. ,\"'\\/{}[]")) {
                case "\"": "\\\""
                case "\\": "\\\\"
                case let c: String(c)
                }
            }.joined()
        }
    }

    /// `\\uXXXX`.
    static func escape(_ v: UInt32) -> String {
        let hex = String(v, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    func nested(_ rng: inout FuzzRandom, _ depth: Int) -> String {
        let (open, close) = rng.pick([("[", "]"), (#"{"a":"#, "}")])
        return String(repeating: open, count: depth) + rng.pick(["1", "null", #""x""#, "[]"]) + String(repeating: close, count: depth)
    }

    func valueText(_ rng: inout FuzzRandom) -> String {
        switch rng.below(7) {
        case 0: hostileNumber(&rng)
        case 1: "\"" + hostileString(&rng) + "\""
        case 2: rng.pick(["true", "false", "null", "[]", "{}", "[1]", #"{"v": 1}"#, "True", "NULL"])
        case 3: nested(&rng, rng.pick([2, 50, 500, 990, 1100, 5000]))
        default: rng.pick(["0.01", "0.02", "0.1", "0.5", "0.9", "0", "1", "10", "20", "true", "false", #""paper""#,
                           #""reference""#, #""epoch_mean""#, #""batch""#])
        }
    }

    func field(_ key: String, _ text: String) -> String { "\"\(key)\": \(text)" }

    /// A unique string id (`k<line>#`, then maybe something hostile), so that the line's events
    /// can be told from every other line's.
    func uniqueID(_ rng: inout FuzzRandom, number: Int, hostile: Bool) -> String {
        "\"k\(number)#" + (hostile ? hostileString(&rng) : String(rng.below(1_000_000))) + "\""
    }

    /// A JSON object shaped like a command with hostile parts; half of them tame (known names,
    /// plausible values) so that many are applied.
    mutating func commandLine(_ rng: inout FuzzRandom, number: Int) -> FuzzLine {
        let tame = rng.chance(0.5)
        var parts = [String]()
        if tame || rng.chance(0.7) {
            var ids = [uniqueID(&rng, number: number, hostile: false)]
            if !tame {
                ids += [uniqueID(&rng, number: number, hostile: true), hostileNumber(&rng), "null", "[]", #""""#, nested(&rng, 900), "true"]
            }
            parts.append(field("id", rng.pick(ids)))
        }
        if rng.chance(0.7) { parts.append(field("solver", rng.pick(tame ? Array(Self.solvers[..<5]) : Self.solvers))) }
        let r = rng.unit()
        if r < 0.65 {
            parts.append(field("set", tame || rng.chance(0.9) ? "\"" + rng.pick(tame ? Array(Self.names[..<14]) : Self.names) + "\"" : valueText(&rng)))
            if tame || rng.chance(0.95) { parts.append(field("value", tame ? rng.pick(Self.tameValues) : valueText(&rng))) }
        } else if r < 0.9 {
            parts.append(field("command", rng.pick(tame ? [#""pause""#, #""resume""#]
                                                   : [#""pause""#, #""resume""#, #""jump""#, #""PAUSE""#, "1", "null", "[]", #""pause ""#])))
        } else if r < 0.95, !tame {
            parts.append(field("set", #""lr""#))
            parts.append(field("command", #""pause""#))
        }
        if rng.chance(0.05), !tame { parts.append(field("extra", valueText(&rng))) }
        if rng.chance(0.05), !parts.isEmpty, !tame { parts.append(parts[0]) } // a duplicate key
        rng.shuffle(&parts)
        var bytes = Array(("{" + parts.joined(separator: ", ") + "}").utf8)
        if rng.chance(0.03), !tame { bytes = Array(bytes.prefix(rng.below(bytes.count))) } // cut short
        return FuzzLine(bytes: bytes, family: tame ? "tame command" : "hostile command")
    }

    /// A `set` for one hyperparameter of one configuration's solver (or of every configuration),
    /// with a value in its range, out of it, or of another JSON type.
    mutating func schemaLine(_ rng: inout FuzzRandom, number: Int) -> FuzzLine {
        let c = rng.pick(configurations)
        let info = rng.pick(c.hyperparameters.infos)
        var values = ["true", "false", #""0.5""#, "null", "1e400", "NaN", "-1"]
        switch info.domain {
        case let .real(lo, hi, _, _):
            var xs = [lo, lo - 1, lo + 1e-9, lo - 1e-12, 0.5, 0.9, 0.999, 1e-3, 2, 10, 1e300, -1e-300]
            if hi.isFinite { xs += [hi, hi + 1e-9, hi - 1e-9, (lo + hi) / 2, hi + 1] } else { xs += [lo + 1, lo * 2 + 5, 1e6] }
            values += xs.filter(\.isFinite).map { NumberText.exact($0) }
            values += [NumberText.exact(info.defaultValue.number ?? 0)]
        case .flag:
            values += ["true", "false", "1", "0", #""true""#]
        case .choice(let options):
            values += options.map { "\"\($0)\"" } + options.map { "\"\($0.uppercased())\"" } + ["1", #""""#]
        }
        var parts = [field("set", "\"\(info.key.rawValue)\""), field("value", rng.pick(values))]
        if rng.chance(0.8) { parts.append(field("solver", "\"\(c.name)\"")) }
        if rng.chance(0.8) { parts.append(field("id", uniqueID(&rng, number: number, hostile: false))) }
        rng.shuffle(&parts)
        return FuzzLine(bytes: Array(("{" + parts.joined(separator: ", ") + "}").utf8), family: "set \(c.name).\(info.key)")
    }

    /// A line that is not a command at all: one run-wide rejection.
    func garbageLine(_ rng: inout FuzzRandom) -> FuzzLine {
        var data: [UInt8]
        switch rng.below(7) {
        case 0:
            data = (0..<rng.int(1...200)).map { _ in
                let b = UInt8(rng.below(255))
                return b >= 10 ? b + 1 : b
            }
            if String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { data.insert(0xFF, at: 0) }
        case 1: data = Array(nested(&rng, rng.pick([1, 10, 1100, 20000])).utf8)
        case 2: data = Array(hostileNumber(&rng).utf8)
        case 3: data = Array(("\"" + hostileString(&rng) + "\"").utf8)
        case 4: data = [UInt8](repeating: UInt8(ascii: "x"), count: rng.pick([CommandFeed.lineLimit + 1, 2 * CommandFeed.lineLimit, 200_000]))
        case 5:
            data = rng.pick([[0xEF, 0xBB, 0xBF] + Array("{}".utf8), Array(#"{"set": "lr", "value": "#.utf8) + [0xFF, UInt8(ascii: "}")],
                             [0xC3, 0x28], Array("[]".utf8), Array("{}".utf8), Array(#"{"set"}"#.utf8), Array("{'set': 'lr'}".utf8),
                             Array("NaN".utf8), Array("true".utf8), Array("null".utf8), Array(#"{"command": "pause"} {}"#.utf8),
                             Array(#"{"set": "lr", "value": 0.1"#.utf8)])
        default:
            data = Array(#"{"id": "g", "command": "pause""#.utf8) + [UInt8](repeating: UInt8(ascii: "}"), count: rng.int(2...5))
        }
        return FuzzLine(bytes: data, family: "garbage", garbage: true)
    }
}
