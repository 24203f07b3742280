@testable import BPGradEngine
import Foundation
import XCTest

final class RunReaderTests: XCTestCase {
    let dir = makeTemporaryFolder() + "/run"

    static let header = StepCSV.header

    /// A row as the engine writes it, with BPGrad's columns filled.
    static func row(_ step: Int, solver: String = "bpgrad", loss: Double = 0.5, wall: Double? = nil) -> String {
        let epoch = (step - 1) / 10 + 1
        return "\(step),\(epoch),\(solver),\(loss),,,,0.01,0.01,0.05,1.5,0.01,10,0.9,0.1,2.5,\(wall ?? Double(step) * 2)"
    }

    static func runJSON(_ configurations: [(name: String, kind: String, label: String)], version: Any = 1, stepsPerEpoch: Int? = 10) -> String {
        let configs = configurations.map {
            #"{"name": "\#($0.name)", "kind": "\#($0.kind)", "label": "\#($0.label)", "hyperparameters": {"lipschitz": 10, "nesterov": false, "eta_placement": "paper"}, "parent": null, "fork_step": null}"#
        }
        return #"{"format": "bpgrad-run", "version": \#(version), "writer": "test", "preset": "spirals", "steps_per_epoch": \#(stepsPerEpoch.map(String.init) ?? "null"), "total_steps": 100, "batch_size": 32, "previous": null, "configurations": [\#(configs.joined(separator: ", "))]}"#
    }

    private func makeRun(_ configurations: [(name: String, kind: String, label: String)] = [("bpgrad", "bpgrad", "BPGrad")]) {
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        write(Self.runJSON(configurations), to: "\(dir)/run.json")
    }

    private func append(_ text: String, to file: String) {
        let path = "\(dir)/\(file)"
        if !FileManager.default.fileExists(atPath: path) { XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil)) }
        let h = FileHandle(forWritingAtPath: path)!
        h.seekToEndOfFile()
        h.write(Data(text.utf8))
        h.closeFile()
    }

    /// Polls until caught up and returns every row per configuration and all events.
    private func readAll(_ reader: inout RunReader) throws -> (rows: [String: [StepRecord]], events: [SessionEvent], deltas: [RunDelta]) {
        var rows: [String: [StepRecord]] = [:], events: [SessionEvent] = [], deltas: [RunDelta] = []
        repeat {
            let d = try reader.poll()
            deltas.append(d)
            for (k, v) in d.rows { rows[k, default: []] += v }
            events += d.events
        } while !(deltas.last!.status.isCaughtUp) && deltas.count < 10_000
        return (rows, events, deltas)
    }

    func testGrowingFileWithPartialLines() throws {
        makeRun()
        append(Self.header + "\n" + Self.row(1) + "\n", to: "bpgrad.csv")
        var reader = RunReader(path: dir)
        let first = try reader.poll()
        XCTAssertEqual(first.manifest?.configurations.map(\.name), ["bpgrad"])
        XCTAssertEqual(first.rows["bpgrad"]?.map(\.step), [1])

        let second = Self.row(2, loss: 0.25)
        append(String(second.prefix(20)), to: "bpgrad.csv")
        let partial = try reader.poll()
        XCTAssertNil(partial.rows["bpgrad"], "half a row must wait for its newline")
        XCTAssertEqual(partial.status.malformedRows, 0)
        XCTAssertNil(partial.manifest, "run.json did not change")

        append(String(second.dropFirst(20)) + "\n", to: "bpgrad.csv")
        let rest = try reader.poll()
        let row = try XCTUnwrap(rest.rows["bpgrad"]?.first)
        XCTAssertEqual(rest.rows["bpgrad"]?.count, 1)
        XCTAssertEqual(row.step, 2)
        XCTAssertEqual(row.epoch, 1)
        XCTAssertEqual(row.samples, 32, "the step's samples come from run.json's batch_size")
        XCTAssertEqual(row.loss, 0.25)
        XCTAssertNil(row.test)
        XCTAssertNil(row.telemetry.lr)
        XCTAssertEqual(row.telemetry.eta, 0.01)
        XCTAssertEqual(row.telemetry.fStar, 0.05)
        XCTAssertEqual(row.telemetry.gradNorm, 1.5)
        XCTAssertEqual(row.telemetry.lipschitz, 10)
        XCTAssertEqual(row.telemetry.lipschitzEstimate, 2.5)
        XCTAssertEqual(row.wallMilliseconds, 4)
        XCTAssertEqual(rest.status.rowsRead, 2)
        XCTAssertTrue(try reader.poll().isEmpty)
    }

    func testMalformedRowsAreCountedAndSkipped() throws {
        makeRun()
        let lines = [
            Self.header,
            Self.row(1),
            "2,1,bpgrad,0.5",                                     // too few fields
            Self.row(3).replacingOccurrences(of: ",0.5,", with: ",abc,"),  // not a number
            Self.row(4),
            Self.row(4),                                          // step does not increase
            Self.row(2),                                          // nor does this one
            "x" + Self.row(7),                                    // step is not a whole number
            Self.row(8) + ",extra",                               // too many fields
            "9,1,bpgrad,\"0.5,,,,,,,,,,,,,1",                     // unbalanced quote
            "",                                                   // a blank line is not a row
            Self.row(10),
        ]
        append(lines.joined(separator: "\n") + "\n", to: "bpgrad.csv")
        var reader = RunReader(path: dir)
        let d = try reader.poll()
        XCTAssertEqual(d.rows["bpgrad"]?.map(\.step), [1, 4, 10])
        XCTAssertEqual(d.status.malformedRows, 7)
        XCTAssertEqual(d.malformed["bpgrad.csv"], 7)
        XCTAssertEqual(d.status.malformedByFile["bpgrad.csv"], 7)
        XCTAssertEqual(d.status.firstMalformed, "bpgrad.csv line 3: expected 17 fields as in the header, found 4")
        // Later polls keep the count and the first reason.
        append(Self.row(11).replacingOccurrences(of: ",0.01,0.01,", with: ",0.01,1..2,") + "\n", to: "bpgrad.csv")
        let later = try reader.poll()
        XCTAssertEqual(later.status.malformedRows, 8)
        XCTAssertEqual(later.malformed["bpgrad.csv"], 1)
        XCTAssertEqual(later.status.firstMalformed, d.status.firstMalformed)
    }

    /// A record with every CSV field set to its own value, written by StepCSV and read back: the
    /// decoder finds each column where the writer put it.
    func testEveryColumnReadsBackWhatTheWriterWrote() {
        var t = SolverTelemetry()
        t.lr = 0.25; t.eta = 0.5; t.radius = 0.75; t.fStar = 1.25; t.gradNorm = 1.5; t.stepNorm = 1.75
        t.lipschitz = 2.5; t.momentum = 0.875; t.rho = 0.125; t.lipschitzEstimate = 3.5
        let record = StepRecord(step: 7, epoch: 2, loss: 5.5, test: Evaluation(loss: 4.5, accuracy: 0.625), telemetry: t,
                                wallMilliseconds: 12.5, samples: 64)
        let decoder = StepCSVDecoder(header: StepCSV.columns)!
        var scratch: [UInt8] = []
        let bytes = Array(StepCSV.line(record, name: "bpgrad").utf8)
        let decoded = bytes.withUnsafeBufferPointer { decoder.decode($0.baseAddress!, $0.count, batchSize: 64, scratch: &scratch) }
        XCTAssertEqual(try decoded.get(), record)
    }

    func testMalformedReasonsNameTheField() {
        let decoder = StepCSVDecoder(header: StepCSV.columns)!
        func problem(_ line: String) -> String? {
            var scratch: [UInt8] = []
            let bytes = Array(line.utf8)
            return bytes.withUnsafeBufferPointer {
                if case .failure(let p) = decoder.decode($0.baseAddress!, $0.count, batchSize: 1, scratch: &scratch) { return "\(p)" }
                return nil
            }
        }
        XCTAssertEqual(problem(Self.row(3).replacingOccurrences(of: ",0.5,", with: ",abc,")),
                       "field 'loss' is 'abc', expected a number or an empty field")
        XCTAssertEqual(problem("-1" + Self.row(1).dropFirst(1)), "field 'step' is '-1', expected a whole number >= 0")
        XCTAssertEqual(problem("," + Self.row(1).dropFirst(2)), "field 'step' is empty, and every row needs one")
        XCTAssertNil(problem(Self.row(3)))
    }

    func testNumberFormsQuotesAndColumnsByName() throws {
        makeRun()
        // Columns in another order, an unknown column, no lr/eta/... columns at all.
        let csv = """
        wall_ms,loss,step,extra,solver,test_accuracy,grad_norm
        1.5,nan,1,"a, ""quoted"" text",bpgrad,,inf
        2,1.5e-05,2,x,"bpgrad",0.75,-inf
        3,"0.125",3,,bpgrad,1,0x1p-3
        4, 2.5,4,,bpgrad,,1e400

        """
        append(csv, to: "bpgrad.csv")
        var reader = RunReader(path: dir)
        let d = try reader.poll()
        let rows = try XCTUnwrap(d.rows["bpgrad"])
        XCTAssertEqual(rows.map(\.step), [1, 2, 3, 4])
        XCTAssertTrue(rows[0].loss.isNaN)
        XCTAssertEqual(rows[0].telemetry.gradNorm, .infinity)
        XCTAssertEqual(rows[0].wallMilliseconds, 1.5)
        XCTAssertEqual(rows[1].loss, 1.5e-05)
        XCTAssertEqual(rows[1].test?.accuracy, 0.75)
        XCTAssertTrue(rows[1].test!.loss.isNaN, "accuracy without a test loss: the loss is unknown")
        XCTAssertEqual(rows[1].telemetry.gradNorm, -.infinity)
        XCTAssertEqual(rows[2].loss, 0.125)
        XCTAssertEqual(rows[2].telemetry.gradNorm, 0.125, "strtod's hex floats are accepted")
        XCTAssertEqual(rows[3].loss, 2.5, "strtod skips leading blanks")
        XCTAssertEqual(rows[3].telemetry.gradNorm, .infinity, "strtod overflows to inf")
        XCTAssertEqual(rows[0].epoch, 0, "a missing epoch column reads as 0")
        XCTAssertTrue(rows[0].telemetry.stepNorm.isNaN, "a missing step_norm column reads as NaN")
        XCTAssertNil(rows[0].telemetry.eta)
        XCTAssertEqual(d.status.malformedRows, 0)
    }

    func testFastNumberPathAgreesWithStrtod() {
        var rng = SeededGenerator(seed: 7)
        var forms: [String] = ["0", "-0", "1", "0.1", "1e22", "1e23", "9007199254740993", "123456789012345678901",
                               "1.7976931348623157e308", "4.9e-324", "2.2250738585072014e-308", "0.30000000000000004",
                               "1e-22", "1e-23", "-1.5E+10", "1.", ".5", "+3", "5e", "1e+", "--1", "1.2.3", "", "e5"]
        for _ in 0..<20000 {
            let magnitude = pow(10, Double.random(in: -30...30, using: &rng))
            let v = Double.random(in: -1...1, using: &rng) * magnitude
            forms.append(String(format: "%.9g", v))
            forms.append(String(format: "%.17g", v))
            forms.append(String(format: "%.3f", v))
        }
        for text in forms {
            let bytes = Array(text.utf8)
            let fast = bytes.withUnsafeBufferPointer { NumberField.double($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }
            var end: UnsafeMutablePointer<CChar>?
            let reference: Double? = text.withCString { s in
                let v = strtod(s, &end)
                return end.map { $0 - UnsafeMutablePointer(mutating: s) } == text.utf8.count && !text.isEmpty ? v : nil
            }
            XCTAssertEqual(fast?.bitPattern, reference?.bitPattern, "'\(text)'")
        }
    }

    func testMissingDirectoryAppearsLater() throws {
        var reader = RunReader(path: dir)
        let before = try reader.poll()
        XCTAssertFalse(before.status.directoryExists)
        XCTAssertTrue(before.isEmpty)
        XCTAssertFalse(before.status.isFinished)
        makeRun()
        let empty = try reader.poll()
        XCTAssertTrue(empty.status.directoryExists)
        XCTAssertEqual(empty.manifest?.configurations.count, 1)
        XCTAssertNil(empty.status.secondsSinceLastRow)
        append(Self.header + "\n" + Self.row(1) + "\n", to: "bpgrad.csv")
        XCTAssertEqual(try reader.poll().rows["bpgrad"]?.count, 1)
    }

    func testPathThatIsAFileIsRefused() {
        try! FileManager.default.createDirectory(atPath: (dir as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        write("not a directory", to: dir)
        var reader = RunReader(path: dir)
        XCTAssertThrowsError(try reader.poll()) { error in
            XCTAssertTrue("\(error)".contains("is a file, not a run directory"), "\(error)")
        }
    }

    func testNewerMajorVersionIsRefusedAndMinorAccepted() throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        write(Self.runJSON([("a", "adam", "Adam")], version: 2), to: "\(dir)/run.json")
        var reader = RunReader(path: dir)
        XCTAssertThrowsError(try reader.poll()) { error in
            XCTAssertTrue("\(error)".contains("run.json: field 'version' is 2"), "\(error)")
        }
        write(Self.runJSON([("a", "adam", "Adam")], version: 1.3), to: "\(dir)/run.json")
        var minor = RunReader(path: dir)
        XCTAssertEqual(try minor.poll().manifest?.version, 1)
        write(#"{"format": "something-else", "version": 1}"#, to: "\(dir)/run.json")
        var other = RunReader(path: dir)
        XCTAssertThrowsError(try other.poll()) { error in XCTAssertTrue("\(error)".contains("field 'format'"), "\(error)") }
    }

    func testManifestFieldsAndUnsafeNames() throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let json = #"""
        {"format": "bpgrad-run", "version": 1, "writer": "bpgrad-python", "batch_size": 64, "steps_per_epoch": 19, "total_steps": null,
         "parameters": "many",
         "configurations": [
           {"name": "bpgrad", "kind": "bpgrad", "label": "BPGrad", "hyperparameters": {"lipschitz": 12.5, "nesterov": true, "eta_placement": "paper"}},
           {"name": "../../etc/passwd", "kind": "adam"},
           {"name": "bpgrad", "kind": "adam"},
           {"kind": "sgd"},
           {"name": "fork-1", "kind": "bpgrad", "label": "BPGrad L=50", "parent": "bpgrad", "fork_step": 500},
           {"name": "BPGrad", "kind": "bpgrad"},
           {"name": "Events", "kind": "adam"},
           {"name": ".hidden", "kind": "adam"}
         ]}
        """#
        write(json, to: "\(dir)/run.json")
        var reader = RunReader(path: dir)
        let d = try reader.poll()
        let m = try XCTUnwrap(d.manifest)
        XCTAssertEqual(m.configurations.map(\.name), ["bpgrad", "fork-1"])
        XCTAssertEqual(m.writer, "bpgrad-python")
        XCTAssertEqual(m.batchSize, 64)
        XCTAssertEqual(m.stepsPerEpoch, 19)
        XCTAssertNil(m.totalSteps)
        XCTAssertNil(m.parameters)
        XCTAssertEqual(m.configurations[0].hyperparameters["lipschitz"], .number(12.5))
        XCTAssertEqual(m.configurations[0].hyperparameters["nesterov"], .bool(true))
        XCTAssertEqual(m.configurations[0].hyperparameters["eta_placement"], .string("paper"))
        XCTAssertEqual(m.configurations[1].parent, "bpgrad")
        XCTAssertEqual(m.configurations[1].forkStep, 500)
        // The reader applies the writers' one rule (ConfigurationName): case is ignored for
        // the reserved names and for duplicates, as on a case-insensitive file system.
        XCTAssertEqual(d.issues.count, 6, "\(d.issues)")
        XCTAssertTrue(d.issues.contains(.skippedConfiguration("configurations[1]: configuration name '../../etc/passwd' has characters outside [A-Za-z0-9._-] (it names a file in the run directory)")), "\(d.issues)")
        XCTAssertTrue(d.issues.contains(.skippedConfiguration("configurations[5]: name 'BPGrad' appears twice (ignoring case)")), "\(d.issues)")
        XCTAssertTrue(d.issues.contains { "\($0)".contains("configurations[6]: configuration name 'Events' is reserved") }, "\(d.issues)")
        XCTAssertTrue(d.issues.contains { "\($0)".contains("configurations[7]: configuration name '.hidden' starts with '.'") }, "\(d.issues)")
    }

    /// Values that are valid only together (nesterov needs its momentum) survive the reading
    /// of run.json, whatever order the dictionary gives them in.
    func testRunJSONValuesValidOnlyTogetherAreKept() throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        write(#"{"format": "bpgrad-run", "version": 1, "configurations": [{"name": "sgd", "kind": "sgd", "hyperparameters": {"nesterov": true, "momentum": 0.9, "lr": 0.1}}]}"#,
              to: "\(dir)/run.json")
        var view = RunView(path: dir)
        try view.load()
        let hyper = try XCTUnwrap(view.snapshot.configurations.first).configuration.hyperparameters
        XCTAssertEqual(hyper["nesterov"], .flag(true))
        XCTAssertEqual(hyper["momentum"], .number(0.9))
        XCTAssertEqual(hyper["lr"], .number(0.1))
        // A solver reports its settings the same way.
        let sgd = SGD()
        try sgd.apply(hyper)
        XCTAssertEqual(sgd.hyper, hyper)
    }

    func testPreVersionOneDirectoryWithoutRunJSON() throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // As RunDirectory wrote before format version 1: files named by solver kind.
        append(Self.header + "\n" + Self.row(1, solver: "bpgrad") + "\n" + Self.row(2, solver: "bpgrad") + "\n", to: "bpgrad.csv")
        append(Self.header + "\n" + Self.row(1, solver: "adam") + "\n", to: "adam.csv")
        append(SessionEvent.csvHeader + "\n0,0.000,bpgrad,start,lipschitz=10\n0,0.000,adam,start,lr=0.01\n", to: "events.csv")
        append("name: spirals\n", to: "preset.yaml")
        append("a,b\n1,2\n", to: "notes.csv")
        append("lr,name,status\n0.1,x,finished\n", to: "sweep.csv")
        write(#"{"solvers": [{"solver": "bpgrad", "status": "running", "steps": 2, "samples_per_second": 10}, {"solver": "adam", "status": "running", "steps": 1, "samples_per_second": 12}]}"#,
              to: "\(dir)/summary.json")
        var reader = RunReader(path: dir)
        let (rows, events, deltas) = try readAll(&reader)
        let m = try XCTUnwrap(deltas.first?.manifest)
        XCTAssertTrue(m.isLegacy)
        XCTAssertEqual(m.configurations.map(\.name), ["bpgrad", "adam"], "summary.json's order, not the alphabet")
        XCTAssertEqual(m.configurations.map(\.label), ["BPGrad", "Adam"])
        XCTAssertEqual(m.configurations.map(\.kind), ["bpgrad", "adam"])
        XCTAssertEqual(rows["bpgrad"]?.count, 2)
        XCTAssertEqual(rows["adam"]?.count, 1)
        XCTAssertEqual(events.map(\.kind), [.start, .start])
        XCTAssertEqual(events.first?.detail, "lipschitz=10")
        XCTAssertFalse(reader.status.isFinished)

        // The old writer's end: every solver's status says it ended.
        write(#"{"solvers": [{"solver": "bpgrad", "status": "finished"}, {"solver": "adam", "status": "diverged at step 7"}]}"#, to: "\(dir)/summary.json")
        let end = try reader.poll()
        XCTAssertEqual(end.summary?.solvers.map(\.status), ["finished", "diverged at step 7"])
        XCTAssertTrue(end.status.isFinished)

        // A CSV that appears later is a new configuration.
        append(Self.header + "\n" + Self.row(1, solver: "sgd") + "\n", to: "sgd.csv")
        let later = try reader.poll()
        XCTAssertEqual(later.manifest?.configurations.map(\.name), ["bpgrad", "adam", "sgd"])
        XCTAssertEqual(later.rows["sgd"]?.count, 1)
    }

    func testRunJSONRewrittenWithAForkedConfiguration() throws {
        makeRun([("bpgrad", "bpgrad", "BPGrad"), ("adam", "adam", "Adam")])
        append(Self.header + "\n" + (1...5).map { Self.row($0) }.joined(separator: "\n") + "\n", to: "bpgrad.csv")
        var reader = RunReader(path: dir)
        XCTAssertEqual(try reader.poll().rows["bpgrad"]?.count, 5)

        // The writer forks bpgrad at step 5 and rewrites run.json through a rename.
        write(Self.runJSON([("bpgrad", "bpgrad", "BPGrad"), ("adam", "adam", "Adam"), ("bpgrad-fork1", "bpgrad", "BPGrad fork")]),
              to: "\(dir)/run.json.tmp")
        XCTAssertEqual(rename("\(dir)/run.json.tmp", "\(dir)/run.json"), 0)
        append(Self.header + "\n" + Self.row(6, solver: "bpgrad-fork1") + "\n", to: "bpgrad-fork1.csv")
        append(SessionEvent.csvHeader + "\n5,10.000,bpgrad-fork1,fork,from bpgrad at step 5\n", to: "events.csv")
        let d = try reader.poll()
        XCTAssertEqual(d.manifest?.configurations.map(\.name), ["bpgrad", "adam", "bpgrad-fork1"])
        XCTAssertEqual(d.manifest?.configurations.last?.label, "BPGrad fork")
        XCTAssertEqual(d.rows["bpgrad-fork1"]?.map(\.step), [6])
        XCTAssertEqual(d.events.map(\.kind), [.fork])
        XCTAssertNil(d.rows["bpgrad"])
    }

    func testTruncatedReplacedAndRemovedFiles() throws {
        makeRun()
        append(Self.header + "\n" + (1...5).map { Self.row($0) }.joined(separator: "\n") + "\n", to: "bpgrad.csv")
        var reader = RunReader(path: dir)
        XCTAssertEqual(try reader.poll().rows["bpgrad"]?.count, 5)

        // Truncated: shorter than what was read.
        let handle = FileHandle(forWritingAtPath: "\(dir)/bpgrad.csv")!
        handle.truncateFile(atOffset: 0)
        handle.write(Data((Self.header + "\n" + Self.row(1, loss: 9) + "\n").utf8))
        handle.closeFile()
        let t = try reader.poll()
        XCTAssertEqual(t.resets, [RunDelta.Reset(file: "bpgrad.csv", configuration: "bpgrad", reason: .truncated)])
        XCTAssertEqual(t.rows["bpgrad"]?.map(\.loss), [9])
        XCTAssertEqual(t.status.malformedRows, 0, "step 1 after a reset is not 'not increasing'")

        // Truncated and rewritten longer before the next poll (a writer that reopened the file):
        // the size alone does not tell, the newline that ended the last row read is gone.
        let h2 = FileHandle(forWritingAtPath: "\(dir)/bpgrad.csv")!
        h2.truncateFile(atOffset: 0)
        h2.write(Data((Self.header + "\n" + Self.row(1, loss: 0.125) + "\n" + Self.row(2, loss: 0.25) + "\n").utf8))
        h2.closeFile()
        let r = try reader.poll()
        XCTAssertEqual(r.resets.map(\.reason), [.truncated])
        XCTAssertEqual(r.rows["bpgrad"]?.map(\.loss), [0.125, 0.25])
        XCTAssertEqual(r.status.malformedRows, 0)

        // Replaced by another file (a new inode) with more rows than before.
        write(Self.header + "\n" + (1...8).map { Self.row($0, loss: 3) }.joined(separator: "\n") + "\n", to: "\(dir)/new.tmp")
        XCTAssertEqual(rename("\(dir)/new.tmp", "\(dir)/bpgrad.csv"), 0)
        let p = try reader.poll()
        XCTAssertEqual(p.resets.map(\.reason), [.replaced])
        XCTAssertEqual(p.rows["bpgrad"]?.map(\.step), Array(1...8))
        XCTAssertEqual(p.status.rowsRead, 8)

        // Removed.
        try FileManager.default.removeItem(atPath: "\(dir)/bpgrad.csv")
        let gone = try reader.poll()
        XCTAssertEqual(gone.resets.map(\.reason), [.removed])
        XCTAssertEqual(gone.status.rowsRead, 0)
    }

    func testBoundedDeltasConsumeALargeFileInChunks() throws {
        makeRun([("bpgrad", "bpgrad", "BPGrad"), ("adam", "adam", "Adam")])
        let n = 20_000
        append(Self.header + "\n" + (1...n).map { Self.row($0) }.joined(separator: "\n") + "\n", to: "bpgrad.csv")
        append(Self.header + "\n" + (1...n).map { Self.row($0, solver: "adam") }.joined(separator: "\n") + "\n", to: "adam.csv")
        var reader = RunReader(path: dir, options: .init(maxBytesPerPoll: 256 << 10))
        let (rows, _, deltas) = try readAll(&reader)
        XCTAssertEqual(rows["bpgrad"]?.map(\.step), Array(1...n))
        XCTAssertEqual(rows["adam"]?.map(\.step), Array(1...n))
        XCTAssertGreaterThan(deltas.count, 10)
        for d in deltas {
            // Each file gets at most a third of the budget (two CSVs and events.csv).
            for (name, r) in d.rows {
                let bytes = r.reduce(0) { $0 + Self.row($1.step, solver: name).utf8.count + 1 }
                XCTAssertLessThanOrEqual(bytes, (256 << 10) / 3)
            }
        }
        // Both configurations advance together.
        XCTAssertGreaterThan(deltas[0].rows["bpgrad"]?.count ?? 0, 1000)
        XCTAssertGreaterThan(deltas[0].rows["adam"]?.count ?? 0, 1000)
        XCTAssertEqual(reader.status.malformedRows, 0)
    }

    func testOverlongLineIsSkippedAndCounted() throws {
        makeRun()
        // One overlong line that arrives whole, one that is still growing when first seen.
        let long = "1," + String(repeating: "9", count: 5000)
        append(Self.header + "\n" + long + "\n" + Self.row(2) + "\n" + String(repeating: "7", count: 70_000), to: "bpgrad.csv")
        var reader = RunReader(path: dir, options: .init(maxBytesPerPoll: 4096, maxLineBytes: 1000))
        let (rows, _, deltas) = try readAll(&reader)
        XCTAssertEqual(rows["bpgrad"]?.map(\.step), [2])
        XCTAssertEqual(deltas.last?.status.malformedRows, 2)
        XCTAssertEqual(deltas.last?.status.firstMalformed, "bpgrad.csv line 2: a line longer than 1000 bytes")
        append("7777\n" + Self.row(3) + "\n", to: "bpgrad.csv")
        let d = try reader.poll()
        XCTAssertEqual(d.rows["bpgrad"]?.map(\.step), [3])
        XCTAssertEqual(d.status.malformedRows, 2)
    }

    func testFinishedByEventsOrSummaryAndQuietTime() throws {
        makeRun([("bpgrad", "bpgrad", "BPGrad"), ("adam", "adam", "Adam")])
        append(Self.header + "\n" + Self.row(1) + "\n", to: "bpgrad.csv")
        append(Self.header + "\n" + Self.row(1, solver: "adam") + "\n", to: "adam.csv")
        append(SessionEvent.csvHeader + "\n0,0.000,bpgrad,start,\"lipschitz=10 momentum=0.9, with \"\"quotes\"\"\"\n1,2.000,bpgrad,finished,\n", to: "events.csv")
        var reader = RunReader(path: dir)
        let d = try reader.poll()
        XCTAssertEqual(d.events.first?.detail, "lipschitz=10 momentum=0.9, with \"quotes\"")
        XCTAssertFalse(d.status.isFinished, "adam has not ended")
        append("1,2.000,adam,diverged,loss=nan\n", to: "events.csv")
        XCTAssertTrue(try reader.poll().status.isFinished)

        // A writer quiet for a minute: the CSVs' modification time says so.
        let old = timeval(tv_sec: time(nil) - 60, tv_usec: 0)
        var times = [old, old]
        XCTAssertEqual(utimes("\(dir)/bpgrad.csv", &times), 0)
        XCTAssertEqual(utimes("\(dir)/adam.csv", &times), 0)
        let quiet = try XCTUnwrap(try reader.poll().status.secondsSinceLastRow)
        XCTAssertEqual(quiet, 60, accuracy: 3)

        // summary.json's state alone says so too, and a restart event names the next directory.
        var other = RunReader(path: dir)
        try FileManager.default.removeItem(atPath: "\(dir)/events.csv")
        write(#"{"format": "bpgrad-run", "version": 1, "state": "running", "solvers": []}"#, to: "\(dir)/summary.json")
        XCTAssertFalse(try other.poll().status.isFinished)
        write(#"{"format": "bpgrad-run", "version": 1, "state": "stopped", "solvers": []}"#, to: "\(dir)/summary.json")
        let stopped = try other.poll()
        XCTAssertEqual(stopped.summary?.state, .stopped)
        XCTAssertTrue(stopped.status.isFinished)
        var third = RunReader(path: dir)
        write(#"{"state": "running"}"#, to: "\(dir)/summary.json")
        append(SessionEvent.csvHeader + "\n3,9.000,,restart,continues in runs/x-r2\n", to: "events.csv")
        let restarted = try third.poll()
        XCTAssertTrue(restarted.status.isFinished)
        XCTAssertEqual(restarted.status.continuesIn, "runs/x-r2")
    }

    func testCommandAppenderWritesWholeJSONLines() throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // The writer creates the file when the run starts; a viewer only appends to it.
        FileManager.default.createFile(atPath: "\(dir)/commands.jsonl", contents: Data())
        var appender = CommandAppender(directory: dir, idPrefix: "w1")
        let id1 = try appender.append(RunCommand(solver: "bpgrad", .set(name: "lipschitz", value: .number(50))))
        let id2 = try appender.append(RunCommand(.pause))
        try appender.append(RunCommand(solver: "adam", .resume))
        try appender.append(RunCommand(solver: "bpgrad", .set(name: "eta_placement", value: .string("ref\"erence\n"))))
        try appender.append(RunCommand(solver: "sgd", .set(name: "nesterov", value: .bool(true))))
        try appender.append(RunCommand(solver: "adam", .set(name: "eps", value: .number(1e-08))))
        XCTAssertEqual([id1, id2], ["w1-1", "w1-2"])
        let text = try String(contentsOfFile: "\(dir)/commands.jsonl", encoding: .utf8)
        XCTAssertTrue(text.hasSuffix("\n"))
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.count, 6)
        XCTAssertEqual(String(lines[0]), #"{"id": "w1-1", "solver": "bpgrad", "set": "lipschitz", "value": 50}"#)
        XCTAssertEqual(String(lines[1]), #"{"id": "w1-2", "command": "pause"}"#)
        let objects = try lines.map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        XCTAssertEqual(objects[3]["value"] as? String, "ref\"erence\n")
        XCTAssertEqual(objects[4]["value"] as? Bool, true)
        XCTAssertEqual(objects[5]["value"] as? Double, 1e-08)

        XCTAssertThrowsError(try appender.append(RunCommand(.set(name: "lr", value: .number(.nan))))) { error in
            XCTAssertTrue("\(error)".contains("finite number"), "\(error)")
        }
        var nowhere = CommandAppender(directory: dir + "/no/such/folder")
        XCTAssertThrowsError(try nowhere.append(RunCommand(.pause))) { error in
            XCTAssertTrue("\(error)".contains("commands.jsonl: cannot append the command (it does not exist"), "\(error)")
        }
    }

    /// What writers put in summary.json and events.csv reads back to the same value.
    func testStatusAndEventDetailsReadBack() {
        let all: [SolverStatus] = [.starting, .queued, .running, .paused, .finished, .diverged(step: 16169), .stopped, .error("disk full: x")]
        for s in all { XCTAssertEqual(SolverStatus(text: s.description), s) }
        XCTAssertNil(SolverStatus(text: "diverged at step x"))
        XCTAssertNil(SolverStatus(text: "done"))
        let detail = "lipschitz 10 -> 12.5" + EventDetail.commandSuffix("w1-2")
        XCTAssertTrue(EventDetail.answers(detail, command: "w1-2"))
        XCTAssertFalse(EventDetail.answers(detail, command: "w1-22") || EventDetail.answers(detail, command: "1-2"))
        XCTAssertEqual(EventDetail.withoutCommand(detail), "lipschitz 10 -> 12.5")
        XCTAssertEqual(EventDetail.commandSuffix(nil), "")
        XCTAssertTrue(EventDetail.answers("(command w-4)", command: "w-4"), "a pause's detail as the Python writer writes it")
        XCTAssertEqual(EventDetail.withoutCommand("(command w-4)"), "")
        XCTAssertEqual(EventDetail.successor(EventDetail.continues(in: "runs/a-r2")), "runs/a-r2")
        XCTAssertNil(EventDetail.successor("after the evaluation"))
    }
}
