import BPGradEngine
import Foundation
import XCTest

/// The writer's side of commands.jsonl: reading it (bounded, incremental, after truncation,
/// never blocking on what is not a file) and turning each line into at most one outcome.
final class CommandFeedTests: XCTestCase {
    private var dir = ""
    private var path: String { dir + "/commands.jsonl" }

    override func setUp() {
        dir = makeTemporaryFolder()
        FileManager.default.createFile(atPath: path, contents: Data())
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    private func append(_ text: String) {
        let h = FileHandle(forWritingAtPath: path)!
        h.seekToEndOfFile()
        h.write(Data(text.utf8))
        try! h.close()
    }

    private func appendBytes(_ count: Int, of byte: UInt8) {
        let h = FileHandle(forWritingAtPath: path)!
        h.seekToEndOfFile()
        h.write(Data(repeating: byte, count: count))
        try! h.close()
    }

    /// Reads until nothing more comes (the reader takes a bounded amount per poll).
    private func readAll(_ feed: CommandFeed, polls: Int = 1000) -> [CommandFeed.Entry] {
        var out = [CommandFeed.Entry]()
        for _ in 0..<polls {
            let e = feed.read()
            if e.isEmpty, !feed.hasMore { break }
            out += e
        }
        return out
    }

    /// bpgrad and adam from the tiny preset, as the router sees them.
    private func targets(_ text: String = "bpgrad, adam") throws -> [CommandRouting.Target] {
        let preset = try PresetLibrary.parse(yaml: PresetTests.minimal, file: "tiny.yaml", overrides: [])
        return try preset.configurations(text).enumerated().map { CommandRouting.Target(name: $0.element.name, hyperparameters: $0.element.hyperparameters, step: 10 * ($0.offset + 1)) }
    }

    private func route(_ lines: String, _ targets: [CommandRouting.Target]) -> [CommandRouting.Outcome] {
        append(lines)
        return CommandRouting.route(readAll(CommandFeed(path: path)), targets: targets, wallMilliseconds: 1500)
    }

    private func rejections(_ outcomes: [CommandRouting.Outcome]) -> [SessionEvent] {
        outcomes.compactMap { if case .event(let e) = $0, e.kind == .rejected { e } else { nil } }
    }

    private func sends(_ outcomes: [CommandRouting.Outcome]) -> [(SessionCommand, Int)] {
        outcomes.compactMap { if case let .send(c, i) = $0 { (c, i) } else { nil } }
    }

    // MARK: 1. One rejection per command, the value echoed once and bounded

    func testALineThatIsNotACommandIsOneRunWideRejection() throws {
        let out = route("not json\n{\"id\": \"x1\", \"command\": \"jump\"}\n", try targets())
        let r = rejections(out)
        XCTAssertEqual(r.count, 2, "one event per line, not one per configuration: \(r)")
        XCTAssertTrue(r.allSatisfy { $0.solver == "" }, "run-wide")
        XCTAssertTrue(r[0].detail.hasPrefix("invalid command: "), r[0].detail)
        XCTAssertTrue(r[1].detail.hasSuffix(" (command x1)"), r[1].detail)
        XCTAssertTrue(sends(out).isEmpty)
    }

    /// Blank is JSON's whitespace only (space, tab, carriage return), as in Python's reader;
    /// a vertical tab or a form feed alone is a bad command.
    func testBlankIsJSONWhitespaceOnly() throws {
        let out = route("\r\n \t \r\n\n\u{0B}\n\u{0C}\n", try targets())
        XCTAssertEqual(rejections(out).count, 2, "\(out)")
        XCTAssertTrue(sends(out).isEmpty)
    }

    /// A value that breaks a rule linking two hyperparameters (SGD's nesterov needs momentum
    /// > 0) is refused once by the router, not once by each configuration's worker.
    func testALinkedRuleIsOneRejection() throws {
        let t = try targets("sgd:momentum=0.9:nesterov=true@a, sgd:momentum=0.9:nesterov=true@b, sgd:momentum=0.9:nesterov=true@c")
        let out = route(#"{"id": "m0", "set": "momentum", "value": 0}"# + "\n", t)
        XCTAssertEqual(rejections(out).count, 1, "\(out)")
        XCTAssertTrue(rejections(out).first?.detail.contains("Nesterov momentum requires") == true, "\(out)")
        XCTAssertTrue(sends(out).isEmpty)
    }

    func testASetNobodyHasIsOneRunWideRejection() throws {
        let r = rejections(route(#"{"id": "n1", "set": "warp", "value": 3}"# + "\n", try targets()))
        XCTAssertEqual(r.map(\.solver), [""])
        XCTAssertEqual(r.first?.detail, "warp 3: no configuration has it (command n1)")
    }

    func testAnInvalidValueForEveryConfigurationIsOneEventEchoingTheValueOnce() throws {
        // lr exists in adam only; momentum in bpgrad and sgd: both refuse -1.
        let r = rejections(route(#"{"id": "m1", "set": "momentum", "value": -1}"# + "\n", try targets("bpgrad, sgd:momentum=0.5")))
        XCTAssertEqual(r.count, 1, "\(r)")
        XCTAssertEqual(r.first?.solver, "")
        let detail = try XCTUnwrap(r.first?.detail)
        XCTAssertTrue(detail.hasPrefix("momentum -1: "), detail)
        XCTAssertEqual(detail.components(separatedBy: "-1").count - 1, 1, "the value once: \(detail)")
        XCTAssertTrue(detail.hasSuffix("(command m1)"), detail)
    }

    func testALongValueIsCutWithAnEllipsis() throws {
        let long = String(repeating: "p", count: 5000)
        let r = rejections(route(#"{"solver": "bpgrad", "set": "eta_placement", "value": "\#(long)"}"# + "\n", try targets()))
        XCTAssertEqual(r.count, 1)
        XCTAssertEqual(r.first?.solver, "bpgrad")
        let detail = try XCTUnwrap(r.first?.detail)
        XCTAssertLessThan(detail.utf8.count, 300, detail)
        XCTAssertTrue(detail.contains("…"), detail)
    }

    // MARK: 2. Bounded lines, read incrementally

    func testAnOverlongLineIsSkippedAndRejectedOnceAndLaterCommandsStillCome() throws {
        let feed = CommandFeed(path: path)
        append(#"{"id": "a", "command": "pause"}"# + "\n")
        appendBytes(10 << 20, of: UInt8(ascii: "x"))
        append("\n" + #"{"id": "b", "command": "resume"}"# + "\n")
        let start = Date()
        let entries = readAll(feed)
        XCTAssertLessThan(Date().timeIntervalSince(start), 3, "linear, not quadratic")
        XCTAssertEqual(entries.count, 3, "\(entries.map { "\($0)".prefix(100) })")
        XCTAssertEqual(entries.first, .command(RunCommand(.pause), id: "a"))
        XCTAssertEqual(entries.last, .command(RunCommand(.resume), id: "b"))
        guard case .invalid(let why, nil) = entries[1] else { return XCTFail("\(entries[1])") }
        XCTAssertTrue(why.contains("longer than 65,536 bytes"), why)
    }

    func testALineOfExactlyTheLimitIsRead() throws {
        let head = #"{"command": "pause", "pad": ""#, tail = "\"}"
        let line = head + String(repeating: " ", count: CommandFeed.lineLimit - head.utf8.count - tail.utf8.count) + tail
        XCTAssertEqual(line.utf8.count, 65_536)
        append(line + "\n" + line + " \n")
        let entries = readAll(CommandFeed(path: path))
        XCTAssertEqual(entries.count, 2)
        XCTAssertEqual(entries.first, .command(RunCommand(.pause), id: nil))
        guard case .invalid(let why, _) = entries.last else { return XCTFail("\(entries)") }
        XCTAssertTrue(why.contains("longer than 65,536 bytes"), why)
    }

    /// Deep nesting within the line limit is a rejection, not a stack overflow in the parser.
    func testDeeplyNestedJSONIsRejected() {
        append(String(repeating: "[", count: 60_000) + "\n" + String(repeating: "{\"a\":", count: 10_000) + "\n")
        let entries = readAll(CommandFeed(path: path))
        XCTAssertEqual(entries.count, 2)
        XCTAssertTrue(entries.allSatisfy { if case .invalid = $0 { true } else { false } }, "\(entries)")
    }

    func testEachPollReadsABoundedAmount() throws {
        let feed = CommandFeed(path: path)
        let line = #"{"command": "pause"}"# + "\n"
        append(String(repeating: line, count: (3 << 20) / line.utf8.count))
        let first = feed.read()
        XCTAssertTrue(feed.hasMore, "3 MiB are not read in one poll")
        XCTAssertLessThanOrEqual(first.count * line.utf8.count, CommandFeed.pollLimit)
        XCTAssertEqual(first.count + readAll(feed).count, (3 << 20) / line.utf8.count)
    }

    func testBlankLinesCostNothing() {
        appendBytes(1 << 20, of: 10)
        append(#"{"command": "pause"}"# + "\n")
        let start = Date()
        XCTAssertEqual(readAll(CommandFeed(path: path)), [.command(RunCommand(.pause), id: nil)])
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
    }

    func testAnUnterminatedLineWaitsForItsNewline() {
        let feed = CommandFeed(path: path)
        append(#"{"command": "pa"#)
        XCTAssertEqual(readAll(feed), [])
        append(#"use"}"# + "\n")
        XCTAssertEqual(readAll(feed), [.command(RunCommand(.pause), id: nil)])
    }

    // MARK: 3. A truncated file is read again from its start

    func testATruncatedFileIsReadAgainFromItsStart() throws {
        let feed = CommandFeed(path: path)
        append(#"{"id": "1", "command": "pause"}"# + "\n" + #"{"id": "2", "command": "resume"}"# + "\n")
        XCTAssertEqual(readAll(feed).count, 2)
        XCTAssertEqual(truncate(path, 0), 0)
        append(#"{"id": "3", "command": "pause"}"# + "\n")
        XCTAssertEqual(readAll(feed), [.command(RunCommand(.pause), id: "3")], "the command written after the truncation is applied")
    }

    // MARK: 4. String numbers, non-regular files

    func testAStringIsNotANumber() throws {
        let out = route(#"{"id": "s1", "solver": "adam", "set": "lr", "value": "0x10"}"# + "\n", try targets())
        XCTAssertTrue(sends(out).isEmpty, "never applied as 16")
        let r = rejections(out)
        XCTAssertEqual(r.map(\.solver), ["adam"])
        XCTAssertTrue(r.first?.detail.contains("expected a number") == true, "\(r)")
        XCTAssertTrue(r.first?.detail.hasSuffix("(command s1)") == true, "\(r)")
    }

    func testFlagsTakeBooleansAndChoicesTakeStrings() throws {
        let t = try targets("bpgrad, sgd:momentum=0.5")
        let out = route("""
        {"solver": "sgd", "set": "nesterov", "value": 1}
        {"solver": "sgd", "set": "nesterov", "value": "true"}
        {"solver": "bpgrad", "set": "eta_placement", "value": 1}
        {"solver": "sgd", "set": "nesterov", "value": true}
        {"solver": "bpgrad", "set": "eta_placement", "value": "reference"}
        {"solver": "bpgrad", "set": "lipschitz", "value": 50}
        """ + "\n", t)
        XCTAssertEqual(rejections(out).count, 3, "\(rejections(out).map(\.detail))")
        let s = sends(out)
        XCTAssertEqual(s.map(\.1), [1, 0, 0])
        XCTAssertEqual(s.map(\.0), [.set("nesterov", .flag(true)), .set("eta_placement", .choice("reference")), .set("lipschitz", .number(50))])
    }

    func testAFIFOIsRefusedWithoutBlocking() throws {
        try FileManager.default.removeItem(atPath: path)
        XCTAssertEqual(mkfifo(path, 0o644), 0)
        let feed = Locked(CommandFeed(path: path))
        let finished = expectation(description: "read returns")
        let box = Locked<[CommandFeed.Entry]>([])
        Thread {
            let entries = feed.withLock { $0.read() + $0.read() }
            box.withLock { $0 = entries }
            finished.fulfill()
        }.start()
        wait(for: [finished], timeout: 5)
        let entries = box.withLock { $0 }
        XCTAssertEqual(entries.count, 1, "said once: \(entries)")
        guard case .unusable(let why) = entries.first else { return XCTFail("\(entries)") }
        XCTAssertTrue(why.contains("commands.jsonl") && why.contains("named pipe"), why)
        let out = CommandRouting.route(entries, targets: try targets(), wallMilliseconds: 0)
        XCTAssertEqual(out.count, 1)
        guard case .event(let e) = out.first else { return XCTFail() }
        XCTAssertEqual(e.kind, .error)
    }

    func testASymbolicLinkIsNotFollowed() throws {
        let outside = dir + "/elsewhere.jsonl"
        write(#"{"command": "pause"}"# + "\n", to: outside)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: outside)
        let entries = readAll(CommandFeed(path: path))
        XCTAssertEqual(entries.count, 1)
        guard case .unusable(let why) = entries.first else { return XCTFail("\(entries)") }
        XCTAssertTrue(why.contains("symbolic link"), why)
    }

    // MARK: 5. Every event a command produced quotes its id

    func testPauseResumeAndUnknownSolversKeepTheCommandID() throws {
        let out = route("""
        {"id": "p1", "solver": "adam", "command": "pause"}
        {"id": "p2", "command": "resume"}
        {"id": "u1", "solver": "nobody", "command": "pause"}
        {"id": "u2", "solver": "nobody", "set": "lr", "value": 1}
        """ + "\n", try targets())
        let s = sends(out)
        XCTAssertEqual(s.map(\.1), [1, 0, 1])
        XCTAssertEqual(s.map(\.0), [.pauseCommand(true, origin: "p1"), .pauseCommand(false, origin: "p2"), .pauseCommand(false, origin: "p2")])
        let r = rejections(out)
        XCTAssertEqual(r.count, 2)
        XCTAssertTrue(r[0].detail.contains("no configuration named 'nobody'") && r[0].detail.hasSuffix(" (command u1)"), r[0].detail)
        XCTAssertTrue(r[1].detail.hasSuffix(" (command u2)"), r[1].detail)
        XCTAssertEqual(EventDetail.commandNote("p1"), "(command p1)")
        XCTAssertTrue(EventDetail.answers(EventDetail.commandNote("p1"), command: "p1"))
    }
}
