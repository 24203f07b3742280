import BPGradEngine
import Foundation
import XCTest

/// Sessions run solvers on background queues; these tests drive them from the test thread.
/// `scripts/test.sh` runs them again under ThreadSanitizer.
final class SessionConcurrencyTests: XCTestCase {
    private func experiment(_ overrides: [String] = []) throws -> Experiment {
        try Experiment(preset: PresetLibrary.parse(yaml: PresetTests.minimal, file: "tiny.yaml", overrides: overrides))
    }

    private func session(_ e: Experiment, _ kinds: [String], dir: RunDirectory? = nil, exitWhenDone: Bool = true,
                         startPaused: Bool = false) throws -> Session {
        try Session(experiment: e, solvers: kinds.map { try e.preset.solver($0) }, runDirectory: dir,
                    exitWhenDone: exitWhenDone, startPaused: startPaused)
    }

    /// Polls the store until `condition` holds, failing after a generous timeout.
    private func waitFor(_ s: Session, timeout: Double = 20, _ what: String, _ condition: (SessionSnapshot) -> Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(s.store.snapshot()) { return }
            usleep(2000)
        }
        XCTFail("timed out waiting for \(what)")
    }

    private func losses(_ m: SolverMetrics) -> [Double] { m.series[.loss]!.recent.map(\.y) }

    func testEverySolverStartsFromTheSameLossOnTheSameBatch() throws {
        let s = try session(try experiment(), SolverRegistry.kinds)
        s.start()
        XCTAssertTrue(s.wait(timeout: .now() + 60))
        let firsts = s.store.snapshot().solvers.map { losses($0).first! }
        XCTAssertEqual(Set(firsts).count, 1, "\(firsts)")
        XCTAssertTrue(s.store.snapshot().solvers.allSatisfy { $0.status == .finished && $0.step == 50 })
    }

    func testPauseStopsProgressAndResumeContinues() throws {
        let s = try session(try experiment(["training.steps=100000"]), ["bpgrad", "adam"], exitWhenDone: false)
        s.start()
        waitFor(s, "some steps") { $0.solvers.allSatisfy { $0.step > 20 } }
        s.send(.pause)
        waitFor(s, "pause") { $0.solvers.allSatisfy { $0.status == .paused } }
        let held = s.store.snapshot().solvers.map(\.step)
        usleep(200_000)
        XCTAssertEqual(s.store.snapshot().solvers.map(\.step), held, "steps advanced while paused")
        s.send(.singleStep, to: 0)
        waitFor(s, "one step") { $0.solvers[0].step == held[0] + 1 }
        usleep(100_000)
        XCTAssertEqual(s.store.snapshot().solvers.map(\.step), [held[0] + 1, held[1]])
        s.send(.resume)
        waitFor(s, "resume") { $0.solvers.allSatisfy { $0.step > held.max()! + 20 } }
        s.stop()
        XCTAssertTrue(s.store.snapshot().solvers.allSatisfy { $0.status == .stopped })
    }

    func testParameterChangeIsAnEventAtTheStepItTookEffect() throws {
        let s = try session(try experiment(["training.steps=100000"]), ["bpgrad"], exitWhenDone: false, startPaused: true)
        s.start()
        for _ in 0..<7 { s.send(.singleStep) }
        waitFor(s, "seven steps") { $0.solvers[0].step == 7 }
        s.send(.set(name: "lipschitz", value: .number(33)))
        waitFor(s, "the set event") { $0.events.contains { $0.kind == "set" } }
        let event = s.store.snapshot().events.first { $0.kind == "set" }!
        XCTAssertEqual(event.step, 7)
        XCTAssertEqual(event.detail, "lipschitz 20 -> 33")
        s.send(.singleStep)
        waitFor(s, "step 8") { $0.solvers[0].step == 8 }
        XCTAssertEqual(s.store.snapshot().solvers[0].latest?.lipschitz, 33)
        XCTAssertEqual(s.store.snapshot().solvers[0].hyper.number("lipschitz"), 33)
        s.send(.set(name: "lipschitz", value: .number(-1)))
        waitFor(s, "the rejection") { $0.events.contains { $0.kind == "rejected" } }
        s.stop()
    }

    func testDivergingSolverDoesNotStopTheOthers() throws {
        let s = try session(try experiment(["sgd.lr=1e30", "training.steps=200"]), ["sgd", "adam"])
        s.start()
        XCTAssertTrue(s.wait(timeout: .now() + 60))
        let snap = s.store.snapshot()
        guard case .diverged(let at) = snap.solvers[0].status else { return XCTFail("sgd: \(snap.solvers[0].status)") }
        XCTAssertLessThan(at, 200)
        XCTAssertEqual(snap.solvers[1].status, .finished)
        XCTAssertEqual(snap.solvers[1].step, 200)
        XCTAssertTrue(snap.events.contains { $0.kind == "diverged" && $0.solver == "sgd" && $0.step == at })
    }

    func testRestartReproducesTheFirstRunBitForBit() throws {
        let s = try session(try experiment(), ["bpgrad", "adam"], exitWhenDone: false)
        s.start()
        waitFor(s, "the first run") { $0.solvers.allSatisfy { $0.status == .finished } }
        let first = s.store.snapshot().solvers.map(losses)
        s.send(.restart)
        waitFor(s, "the restart") { $0.events.filter { $0.kind == "restart" }.count == 2 }
        waitFor(s, "the second run") { $0.solvers.allSatisfy { $0.status == .finished && $0.step == 50 } }
        XCTAssertEqual(s.store.snapshot().solvers.map(losses), first)
        s.stop()
    }

    func testRunDirectoryHasCSVsEventsAndSummary() throws {
        let dir = makeTemporaryFolder() + "/run"
        let e = try experiment()
        let s = try session(e, ["bpgrad", "adam"], dir: try RunDirectory(preset: e.preset, explicitPath: dir))
        s.start()
        s.wait()
        s.finish()
        for name in ["bpgrad.csv", "adam.csv", "events.csv", "summary.json", "preset.yaml"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(dir)/\(name)"), name)
        }
        let bp = try String(contentsOfFile: "\(dir)/bpgrad.csv", encoding: .utf8).split(separator: "\n")
        let ad = try String(contentsOfFile: "\(dir)/adam.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(bp.count, 51)
        XCTAssertEqual(bp[1].split(separator: ",")[3], ad[1].split(separator: ",")[3], "first rows carry the same loss")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/summary.json"))) as! [String: Any]
        let solvers = summary["solvers"] as! [[String: Any]]
        XCTAssertEqual(solvers.map { $0["status"] as! String }, ["finished", "finished"])
        XCTAssertEqual(solvers.map { $0["steps"] as! Int }, [50, 50])
        let events = try String(contentsOfFile: "\(dir)/events.csv", encoding: .utf8)
        XCTAssertTrue(events.hasPrefix(SessionEvent.csvHeader))
        XCTAssertTrue(events.contains(",bpgrad,finished,"))
    }

    /// A reader hammering the store while two solvers train sees consistent, growing data.
    func testConcurrentReadersSeeMonotonicSteps() throws {
        let s = try session(try experiment(["training.steps=400"]), ["bpgrad", "adam"])
        s.start()
        var last = [0, 0]
        while !s.wait(timeout: .now()) {
            let snap = s.store.snapshot()
            for (i, m) in snap.solvers.enumerated() {
                XCTAssertGreaterThanOrEqual(m.step, last[i])
                last[i] = m.step
                XCTAssertEqual(m.series[.loss]!.recent.last.map { Int($0.x) } ?? 0, m.step)
            }
        }
        XCTAssertEqual(s.store.snapshot().solvers.map(\.step), [400, 400])
    }
}

extension SessionConcurrencyTests {
    /// Boundaries are computed on each solver's own queue, even while paused, into the store.
    func testDecisionBoundaryComputedOnRequest() throws {
        let s = try session(try experiment(), ["bpgrad", "adam"], exitWhenDone: false, startPaused: true)
        s.start()
        let request = DecisionBoundary.Request(x: -1.5...2.5, y: -1...1.5, width: 8, height: 6)
        s.send(.computeBoundary(request))
        waitFor(s, "both boundaries") { $0.solvers.allSatisfy { $0.boundary != nil } }
        for m in s.store.snapshot().solvers {
            let b = m.boundary!
            XCTAssertEqual(b.classes.count, 48)
            XCTAssertTrue(b.classes.allSatisfy { $0 < 2 })
            XCTAssertTrue(b.confidence.allSatisfy { $0 >= 0.5 && $0 <= 1 }, "two classes: the winner has at least half")
            XCTAssertEqual(b.step, 0)
        }
        s.stop()
    }
}
