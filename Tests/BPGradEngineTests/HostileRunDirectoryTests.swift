@testable import BPGradEngine
import Foundation
import XCTest

/// Run directories built to break the reader (issue 20): every one must be read, or refused
/// with a sentence, without a trap, a hang or a read through a planted link.
final class HostileRunDirectoryTests: XCTestCase {
    let dir = makeTemporaryFolder() + "/run"

    override func setUp() {
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        write(RunReaderTests.runJSON([("bpgrad", "bpgrad", "BPGrad")]), to: "\(dir)/run.json")
    }


    private func openWriter(_ fifo: String) -> () -> Void {
        { let fd = open(fifo, O_WRONLY | O_NONBLOCK); if fd >= 0 { close(fd) } }
    }

    private func rows(_ steps: [(Int, Double)]) -> String {
        ([StepCSV.header] + steps.map { RunReaderTests.row($0.0, wall: $0.1) }).joined(separator: "\n") + "\n"
    }

    // MARK: wall_ms

    /// Item 1: a row whose training time goes back is malformed, as a step that goes back is.
    func testDecreasingWallTimeIsAMalformedRow() throws {
        write(rows([(1, 10), (2, 20), (3, 5), (4, 20), (5, .nan), (6, 30)]), to: "\(dir)/bpgrad.csv")
        var reader = RunReader(path: dir)
        let d = try reader.poll()
        XCTAssertEqual(d.rows["bpgrad"]?.map(\.step), [1, 2, 4, 5, 6], "equal is allowed; an empty (NaN) wall_ms is no time at all")
        XCTAssertEqual(d.status.malformedRows, 1)
        XCTAssertEqual(d.status.firstMalformed, "bpgrad.csv line 4: field 'wall_ms' is 5, below the row before's 20 (training time never goes back)")
    }

    /// Found by the fuzz: a wall_ms of 1e308 became a training time that the header's clock
    /// (an Int of seconds) trapped on. Training time is finite, not negative, and below 10^15
    /// ms (31,700 years).
    func testWallTimeOutOfRangeIsAMalformedRow() throws {
        write(rows([(1, 10), (2, 1e308), (3, -5), (4, .infinity), (5, 1e15), (6, 20)]), to: "\(dir)/bpgrad.csv")
        var reader = RunReader(path: dir)
        let d = try reader.poll()
        XCTAssertEqual(d.rows["bpgrad"]?.map(\.step), [1, 6])
        XCTAssertEqual(d.status.malformedRows, 4)
        XCTAssertEqual(d.status.firstMalformed, "bpgrad.csv line 3: field 'wall_ms' is 1e+308, expected a training time in milliseconds, at least 0 and below 1e15")
    }

    // MARK: run.json

    /// Item 2: a version of any size or JSON type is a sentence, never an Int conversion trap.
    func testVersionOfAnySizeOrTypeIsRefusedOrReadWithoutATrap() throws {
        for version in ["1e300", "-1e300", "9223372036854775808", "1.7976931348623157e308", "-1", "0", "0.5", "2"] {
            write(RunReaderTests.runJSON([("bpgrad", "bpgrad", "BPGrad")], version: version), to: "\(dir)/run.json")
            var reader = RunReader(path: dir)
            XCTAssertThrowsError(try reader.poll(), version) { error in
                XCTAssertTrue("\(error)".contains("field 'version' is"), "\(error)")
            }
        }
        for version in ["\"1\"", "true", "null", "[1]", "{}", "1.9999"] {
            write(RunReaderTests.runJSON([("bpgrad", "bpgrad", "BPGrad")], version: version), to: "\(dir)/run.json")
            var reader = RunReader(path: dir)
            XCTAssertNoThrow(try reader.poll(), version)
        }
    }

    /// Item 5: control characters from a file never reach a message raw (they could drive the
    /// terminal that shows it).
    func testMessagesEscapeControlCharacters() throws {
        write(#"{"format": "bpgrad-run\u001b[2J\u0007", "version": 1}"#, to: "\(dir)/run.json")
        var reader = RunReader(path: dir)
        XCTAssertThrowsError(try reader.poll()) { error in
            let text = "\(error)"
            XCTAssertFalse(text.unicodeScalars.contains { $0.value < 32 || (0x7f...0x9f).contains($0.value) }, text)
            XCTAssertTrue(text.contains(#"bpgrad-run\x1b[2J\x07"#), text)
        }
        write(RunReaderTests.runJSON([("bpgrad", "bpgrad", "BPGrad")]), to: "\(dir)/run.json")
        write(StepCSV.header + "\n1,1,bpgrad,\u{1b}]0;pwned\u{07},,,,,,,,,,,,,\n", to: "\(dir)/bpgrad.csv")
        write("step,wall_ms,solver,event,detail\n1,1,bpgrad,\u{9b}31m,\n", to: "\(dir)/events.csv")
        var second = RunReader(path: dir)
        _ = try second.poll()
        let first = try XCTUnwrap(second.status.firstMalformed)
        XCTAssertTrue(first.contains(#"'\x1b]0;pwned\x07'"#), first)
        XCTAssertEqual(RowProblem.unknownEvent(kind: "\u{9b}31m").description, #"event kind '\u{9b}31m' is not one the run format lists"#)
    }

    // MARK: FIFOs, devices, directories and links

    /// Item 3: a FIFO in place of any file of the run is refused at once, with the file named.
    func testFIFOsInPlaceOfRunFilesDoNotBlock() throws {
        for name in ["events.csv", "bpgrad.csv", "summary.json", "run.json"] {
            let fifo = "\(dir)/\(name)"
            try? FileManager.default.removeItem(atPath: fifo)
            XCTAssertEqual(mkfifo(fifo, 0o600), 0)
            let outcome = Locked<String>("")
            let path = dir
            withinTime(5, unblock: openWriter(fifo)) {
                var reader = RunReader(path: path)
                let d = try? reader.poll()
                outcome.withLock { $0 = d.map { $0.status.refusedFiles[name] ?? "read" } ?? "threw" }
            }
            XCTAssertEqual(outcome.withLock { $0 }, "is a named pipe (FIFO), not a regular file; it is not read", name)
            try FileManager.default.removeItem(atPath: fifo)
            if name == "run.json" { write(RunReaderTests.runJSON([("bpgrad", "bpgrad", "BPGrad")]), to: fifo) }
        }
    }

    /// Item 3, under `watch`: events.csv replaced by a FIFO while the reader follows the run.
    func testEventsBecomingAFIFOMidSessionIsReportedNotWaitedOn() throws {
        write(rows([(1, 1)]), to: "\(dir)/bpgrad.csv")
        write(SessionEvent.csvHeader + "\n0,0,bpgrad,start,\n", to: "\(dir)/events.csv")
        var reader = RunReader(path: dir)
        XCTAssertEqual(try reader.poll().events.count, 1)
        try FileManager.default.removeItem(atPath: "\(dir)/events.csv")
        XCTAssertEqual(mkfifo("\(dir)/events.csv", 0o600), 0)
        let box = Locked<RunReader?>(reader)
        withinTime(5, unblock: openWriter("\(dir)/events.csv")) {
            box.withLock { r in _ = try? r!.poll() }
        }
        reader = try XCTUnwrap(box.withLock { $0 })
        XCTAssertEqual(reader.status.refusedFiles["events.csv"], "is a named pipe (FIFO), not a regular file; it is not read")
        // Put right, the file is read again and the refusal goes.
        try FileManager.default.removeItem(atPath: "\(dir)/events.csv")
        write(SessionEvent.csvHeader + "\n0,0,bpgrad,start,\n1,1,bpgrad,finished,\n", to: "\(dir)/events.csv")
        let d = try reader.poll()
        XCTAssertEqual(d.events.count, 2)
        XCTAssertNil(d.status.refusedFiles["events.csv"])
    }

    /// Item 3: a link planted in the run directory is not followed, wherever it points.
    func testSymbolicLinksAreNotFollowed() throws {
        let outside = makeTemporaryFolder()
        write(rows([(1, 1), (2, 2)]), to: "\(outside)/secret.csv")
        XCTAssertEqual(symlink("\(outside)/secret.csv", "\(dir)/bpgrad.csv"), 0)
        XCTAssertEqual(symlink("/dev/zero", "\(dir)/events.csv"), 0)
        write(RunReaderTests.runJSON([("bpgrad", "bpgrad", "BPGrad")]), to: "\(outside)/run.json")
        var reader = RunReader(path: dir)
        let d = try reader.poll()
        XCTAssertNil(d.rows["bpgrad"])
        XCTAssertEqual(d.status.refusedFiles["bpgrad.csv"], "is a symbolic link; links in a run directory are not followed")
        XCTAssertEqual(d.status.refusedFiles["events.csv"], "is a symbolic link; links in a run directory are not followed")
        // The same for the two JSON files and a legacy directory's CSV.
        try FileManager.default.removeItem(atPath: "\(dir)/run.json")
        XCTAssertEqual(symlink("\(outside)/run.json", "\(dir)/run.json"), 0)
        var second = RunReader(path: dir)
        let legacy = try second.poll()
        XCTAssertEqual(legacy.status.refusedFiles["run.json"], "is a symbolic link; links in a run directory are not followed")
        XCTAssertNil(legacy.manifest, "neither the linked run.json nor the linked CSV describes the run")
    }

    func testDevicesAndDirectoriesInPlaceOfFilesAreRefused() throws {
        XCTAssertEqual(mkdir("\(dir)/bpgrad.csv", 0o755), 0)
        var reader = RunReader(path: dir)
        XCTAssertEqual(try reader.poll().status.refusedFiles["bpgrad.csv"], "is a directory, not a file; it is not read")
        try FileManager.default.removeItem(atPath: "\(dir)/run.json")
        XCTAssertEqual(mkdir("\(dir)/run.json", 0o755), 0)
        var second = RunReader(path: dir)
        XCTAssertEqual(try second.poll().status.refusedFiles["run.json"], "is a directory, not a file; it is not read")
    }

    // MARK: the heartbeat

    /// Item 5: a run killed with -9 says running for ever; summary.json's `updated` (rewritten
    /// at least once a second by a live writer) tells it apart.
    func testRunningRunWithoutAHeartbeatIsStale() throws {
        write(rows([(1, 1)]), to: "\(dir)/bpgrad.csv")
        let then = Date(timeIntervalSinceNow: -120)
        let stamp = ISO8601DateFormatter().string(from: then)
        let summary = #"{"format": "bpgrad-run", "version": 1, "state": "running", "updated": "\#(stamp)", "solvers": [{"solver": "bpgrad", "status": "running"}]}"#
        write(summary, to: "\(dir)/summary.json")
        let old = timeval(tv_sec: Int(then.timeIntervalSince1970), tv_usec: 0)
        var times = [old, old]
        XCTAssertEqual(utimes("\(dir)/summary.json", &times), 0)
        XCTAssertEqual(utimes("\(dir)/bpgrad.csv", &times), 0)
        var reader = RunReader(path: dir)
        let d = try reader.poll()
        let stale = try XCTUnwrap(d.status.stale)
        XCTAssertEqual(stale.seconds, 120, accuracy: 3)
        XCTAssertEqual(stale.since, stamp)
        XCTAssertFalse(d.status.isFinished)
        // The table and the header say stale too, not running.
        var view = RunView(path: dir)
        try view.load()
        XCTAssertEqual(view.snapshot.configurations.map(\.status), [.stale])

        // A summary rewritten just now (a live writer) is not stale, even if no row came.
        write(summary.replacingOccurrences(of: stamp, with: ISO8601DateFormatter().string(from: Date())), to: "\(dir)/summary.json")
        XCTAssertNil(try reader.poll().status.stale)
        // Nor is a run whose rows still grow though its summary is old (a writer without one).
        write(summary, to: "\(dir)/summary.json")
        XCTAssertEqual(utimes("\(dir)/summary.json", &times), 0)
        XCTAssertNotNil(try reader.poll().status.stale)
        write(rows([(1, 1), (2, 2)]), to: "\(dir)/bpgrad.csv")
        XCTAssertNil(try reader.poll().status.stale)
        // A finished run is never stale.
        XCTAssertEqual(utimes("\(dir)/bpgrad.csv", &times), 0)
        write(summary.replacingOccurrences(of: "\"state\": \"running\"", with: "\"state\": \"finished\""), to: "\(dir)/summary.json")
        XCTAssertEqual(utimes("\(dir)/summary.json", &times), 0)
        XCTAssertNil(try reader.poll().status.stale)
    }
}
