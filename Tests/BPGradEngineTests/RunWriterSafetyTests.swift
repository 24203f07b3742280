import BPGradEngine
import Foundation
import XCTest

/// What the run-directory writers refuse: unsafe names, planted links, overwriting, silent
/// write failures, and suffixes too large to count on.
final class RunWriterSafetyTests: XCTestCase {
    private var dir = ""

    override func setUp() { dir = makeTemporaryFolder() }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    private func experiment() throws -> Experiment {
        try Experiment(preset: PresetLibrary.parse(yaml: PresetTests.minimal, file: "tiny.yaml", overrides: []))
    }

    private func runDirectory(_ path: String, _ text: String = "adam", rename: ((inout [Configuration]) -> Void)? = nil) throws -> RunDirectory {
        let e = try experiment()
        var c = try e.preset.configurations(text)
        rename?(&c)
        return try RunDirectory(experiment: e, configurations: c, totalSteps: 50, explicitPath: path)
    }

    private func assertThrows<T>(_ body: @autoclosure () throws -> T, contains parts: [String],
                                 file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            let text = "\(error)"
            for p in parts { XCTAssertTrue(text.contains(p), "'\(text)' lacks '\(p)'", file: file, line: line) }
        }
    }

    // MARK: 6. One rule for names

    func testTheOneNameRule() {
        for good in ["adam", "bpgrad-L50", "a.b_c-9", "x", String(repeating: "n", count: 200), "runs", "Event"] {
            XCTAssertNil(ConfigurationName.problem(good), good)
        }
        let bad: [(String, String)] = [
            ("", "empty"), (".hidden", "'.'"), (String(repeating: "n", count: 201), "200 bytes"), ("a/b", "[A-Za-z0-9._-]"),
            ("..", "'.'"), ("µ", "[A-Za-z0-9._-]"), ("events", "events.csv"), ("Summary", "reserved"), ("COMMANDS", "reserved"),
            ("run", "reserved"), ("sweep", "reserved"), ("preset", "reserved"), ("a b", "[A-Za-z0-9._-]"),
        ]
        for (name, part) in bad {
            let problem = ConfigurationName.problem(name)
            XCTAssertTrue(problem?.contains(part) == true, "\(name): \(problem ?? "accepted")")
        }
        XCTAssertTrue(ConfigurationName.sameName("Adam", "adam"))
        XCTAssertNotNil(ConfigurationName.problem(in: ["adam", "ADAM"]))
        XCTAssertNil(ConfigurationName.problem(in: ["adam", "adam-2"]))
    }

    func testGeneratedNamesFollowTheRule() throws {
        XCTAssertEqual(ConfigurationList.unique("Adam", among: ["adam"]), "Adam-2", "unique ignoring case")
        XCTAssertEqual(ConfigurationList.unique("Events", among: []), "Events-2", "reserved ignoring case")
        XCTAssertEqual(ConfigurationList.unique("Adam", among: ["adam"], separator: " #"), "Adam", "labels are not names")
        let e = try experiment()
        let c = try e.preset.configurations("sgd@Events, sgd")
        XCTAssertTrue(c.allSatisfy { ConfigurationName.problem($0.name) == nil }, "\(c.map(\.name))")
    }

    func testTheWriterRefusesNamesOutsideTheRule() throws {
        assertThrows(try runDirectory(dir + "/a", rename: { $0[0].name = ".adam" }), contains: ["'.adam'", "'.'"])
        assertThrows(try runDirectory(dir + "/b", "adam, sgd", rename: { $0[0].name = "x"; $0[1].name = "X" }),
                     contains: ["'X'", "ignoring case"])
        assertThrows(try runDirectory(dir + "/c", rename: { $0[0].name = "Events" }), contains: ["'Events'", "reserved"])
        let ok = try runDirectory(dir + "/d")
        var fork = try experiment().preset.configuration("sgd")
        fork.name = "ADAM"
        assertThrows(try ok.add(fork), contains: ["'ADAM'", "ignoring case"])
    }

    // MARK: 7. No planted links, no overwriting

    func testFilesPlantedAfterTheStartAreNeverWrittenThrough() throws {
        let victim = dir + "/victim.txt"
        write("precious\n", to: victim)
        let run = try runDirectory(dir + "/run", "adam, sgd")
        // A link planted where a configuration's CSV will go, and where summary.json's temporary could.
        try FileManager.default.createSymbolicLink(atPath: dir + "/run/adam.csv", withDestinationPath: victim)
        assertThrows(try run.stepWriter("adam"), contains: ["adam.csv", "already exists"])
        try FileManager.default.createSymbolicLink(atPath: dir + "/run/summary.json", withDestinationPath: victim)
        try FileManager.default.removeItem(atPath: dir + "/run/run.json")
        try FileManager.default.createSymbolicLink(atPath: dir + "/run/run.json", withDestinationPath: victim)
        var fork = try experiment().preset.configuration("sgd")
        fork.name = "sgd-fork3"
        try run.add(fork)
        XCTAssertEqual(try String(contentsOfFile: victim, encoding: .utf8), "precious\n", "never written through a link")
        let attributes = try FileManager.default.attributesOfItem(atPath: dir + "/run/run.json")
        XCTAssertEqual(attributes[.type] as? FileAttributeType, .typeRegular, "the link itself is replaced")
    }

    func testAFileAlreadyThereIsNeverTruncated() throws {
        let run = try runDirectory(dir + "/run")
        write("someone else's\n", to: dir + "/run/late.csv")
        assertThrows(try run.stepWriter("late"), contains: ["late.csv", "already exists"])
        XCTAssertEqual(try String(contentsOfFile: dir + "/run/late.csv", encoding: .utf8), "someone else's\n")
        _ = try run.stepWriter("adam")
        assertThrows(try run.stepWriter("adam"), contains: ["adam.csv", "already exists"])
    }

    func testARunDirectoryThatIsALinkIsRefused() throws {
        try FileManager.default.createDirectory(atPath: dir + "/real", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: dir + "/real")
        assertThrows(try runDirectory(dir + "/link"), contains: ["link", "symbolic link"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/real"), [])
    }

    func testALogIsNeverWrittenOverUnlessAsked() throws {
        let path = dir + "/log.csv"
        write("keep\n", to: path)
        assertThrows(try LineWriter(path: path, header: "a"), contains: [path, "already exists", "--force"])
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "keep\n")
        let forced = try LineWriter(path: path, header: "a", overwrite: true)
        try forced.close()
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "a\n")
        // A link to a file is refused even when asked, since the target is somewhere else.
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.csv", withDestinationPath: path)
        assertThrows(try LineWriter(path: dir + "/link.csv", header: "a"), contains: ["link.csv"])
    }

    func testTheViewerAppendsOnlyToTheFileTheWriterCreated() throws {
        let victim = dir + "/victim.txt"
        write("precious\n", to: victim)
        try FileManager.default.createDirectory(atPath: dir + "/run", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/run/commands.jsonl", withDestinationPath: victim)
        var appender = CommandAppender(directory: dir + "/run", idPrefix: "w")
        assertThrows(try appender.append(RunCommand(.pause)), contains: ["commands.jsonl", "symbolic link"])
        XCTAssertEqual(try String(contentsOfFile: victim, encoding: .utf8), "precious\n")
        // A dangling link's target is not created.
        try FileManager.default.removeItem(atPath: dir + "/run/commands.jsonl")
        try FileManager.default.createSymbolicLink(atPath: dir + "/run/commands.jsonl", withDestinationPath: dir + "/made-up")
        assertThrows(try appender.append(RunCommand(.pause)), contains: ["commands.jsonl"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/made-up"))
        // No file: the writer creates it, never the viewer.
        try FileManager.default.removeItem(atPath: dir + "/run/commands.jsonl")
        assertThrows(try appender.append(RunCommand(.pause)), contains: ["commands.jsonl", "does not exist"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/run/commands.jsonl"))
    }

    // MARK: 8. A full disk is reported, file by file, and does not stop the summary

    func testAFailedEventsWriteDoesNotStopSummaryWrites() throws {
        let run = try runDirectory(dir + "/run")
        let e = try experiment()
        let session = try Session(experiment: e, configurations: try e.preset.configurations("adam"), runDirectory: nil, options: .headless)
        XCTAssertNil(run.writeFailure)
        try run.flush(session.store.snapshot(), state: .running)
        let line = String(repeating: "z", count: 3000)
        try withFileSizeLimit(2000) {
            run.record(SessionEvent(step: 1, wallMilliseconds: 1, solver: "adam", kind: .error, detail: line))
            assertThrows(try run.flush(session.store.snapshot(), state: .running), contains: ["events.csv"])
        }
        XCTAssertNotNil(run.writeFailure)
        // Reported once; the summary is still rewritten.
        try FileManager.default.removeItem(atPath: dir + "/run/summary.json")
        try run.flush(session.store.snapshot(), state: .stopped)
        let summary = try String(contentsOfFile: dir + "/run/summary.json", encoding: .utf8)
        XCTAssertTrue(summary.contains("\"stopped\""), summary)
        let events = try String(contentsOfFile: dir + "/run/events.csv", encoding: .utf8)
        XCTAssertTrue(events.hasSuffix("\n") && !events.contains(line), "no torn row")
    }

    func testAStepLogFailureIsTheRunDirectorysFailureToo() throws {
        let run = try runDirectory(dir + "/run")
        let writer = try run.stepWriter("adam")
        withFileSizeLimit(3000) {
            for _ in 0..<100 { writer.write(String(repeating: "1,", count: 40)) }
            writer.flush()
        }
        XCTAssertNotNil(writer.failure)
        XCTAssertTrue(run.writeFailure?.description.contains("adam.csv") == true, "\(String(describing: run.writeFailure))")
    }


    // MARK: 9. Restart suffixes

    func testARestartSuffixTooLargeToCountIsAClearError() throws {
        XCTAssertEqual(try RunDirectory.successor(of: dir + "/x"), dir + "/x-r2")
        XCTAssertEqual(try RunDirectory.successor(of: dir + "/x-r7"), dir + "/x-r8")
        assertThrows(try RunDirectory.successor(of: dir + "/x-r9223372036854775807"), contains: ["x-r9223372036854775807", "-r"])
        XCTAssertEqual(RunDirectory.successorPath(of: dir + "/x-r9223372036854775807"), dir + "/x-r9223372036854775807-r2",
                       "the dashboard's restart still gets a fresh directory, never a trap")
    }
}
