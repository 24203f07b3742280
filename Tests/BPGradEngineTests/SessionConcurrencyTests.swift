import BPGradEngine
import Foundation
import XCTest

/// Sessions run configurations on background queues; these tests drive them from the test
/// thread. `scripts/test.sh` runs every session test again under ThreadSanitizer.
final class SessionConcurrencyTests: XCTestCase {
    private func experiment(_ overrides: [String] = []) throws -> Experiment {
        try Experiment(preset: PresetLibrary.parse(yaml: PresetTests.minimal, file: "tiny.yaml", overrides: overrides))
    }

    private func session(_ e: Experiment, _ text: String, dir: String? = nil, options: Session.Options = .headless) throws -> Session {
        let configurations = try e.preset.configurations(text)
        let run = try dir.map { path throws(EngineError) in
            try RunDirectory(experiment: e, configurations: configurations, totalSteps: e.totalSteps, explicitPath: path)
        }
        return try Session(experiment: e, configurations: configurations, runDirectory: run, options: options)
    }

    private func live(paused: Bool = false) -> Session.Options {
        var o = Session.Options.live
        o.startPaused = paused
        return o
    }

    /// Polls the store until `condition` holds, failing after a generous timeout.
    private func waitFor(_ s: Session, timeout: Double = 30, _ what: String, _ condition: (SessionSnapshot) -> Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(s.store.snapshot()) { return }
            usleep(2000)
        }
        XCTFail("timed out waiting for \(what)")
    }

    private func losses(_ m: ConfigurationMetrics) -> [Double] { m.series[.loss]!.recent.map(\.y) }

    func testEverySolverStartsFromTheSameLossOnTheSameBatch() throws {
        let s = try session(try experiment(), SolverRegistry.kindList)
        s.start()
        XCTAssertTrue(s.wait(timeout: .now() + 60))
        let firsts = s.store.snapshot().configurations.map { losses($0).first! }
        XCTAssertEqual(Set(firsts).count, 1, "\(firsts)")
        XCTAssertTrue(s.store.snapshot().configurations.allSatisfy { $0.status == .finished && $0.step == 50 })
    }

    /// Two configurations of one kind train side by side, each with its own settings and name.
    func testTwoConfigurationsOfOneKind() throws {
        let dir = makeTemporaryFolder() + "/run"
        let s = try session(try experiment(), "bpgrad:lipschitz=5, bpgrad:lipschitz=50, adam", dir: dir)
        s.start()
        XCTAssertTrue(s.wait(timeout: .now() + 60))
        s.finish()
        let snap = s.store.snapshot()
        XCTAssertEqual(snap.configurations.map(\.name), ["bpgrad-L5", "bpgrad-L50", "adam"])
        XCTAssertEqual(snap.configurations.map { $0.latest?.telemetry.lipschitz }, [5, 50, nil])
        let first = snap.configurations.map { losses($0).first! }
        XCTAssertEqual(first[0], first[1])
        XCTAssertNotEqual(losses(snap.configurations[0]), losses(snap.configurations[1]))
        for name in ["bpgrad-L5", "bpgrad-L50", "adam"] {
            let rows = try String(contentsOfFile: "\(dir)/\(name).csv", encoding: .utf8).split(separator: "\n")
            XCTAssertEqual(rows.count, 51, name)
            XCTAssertEqual(rows[1].split(separator: ",")[2], Substring(name), "the solver column holds the configuration's name")
        }
    }

    func testPauseStopsProgressAndResumeContinues() throws {
        let s = try session(try experiment(["training.steps=100000"]), "bpgrad, adam", options: live())
        s.start()
        waitFor(s, "some steps") { $0.configurations.allSatisfy { $0.step > 20 } }
        s.send(.pause)
        waitFor(s, "pause") { $0.configurations.allSatisfy { $0.status == .paused } }
        let held = s.store.snapshot().configurations.map(\.step)
        let clock = s.store.snapshot().elapsedSeconds
        usleep(200_000)
        XCTAssertEqual(s.store.snapshot().configurations.map(\.step), held, "steps advanced while paused")
        XCTAssertEqual(s.store.snapshot().elapsedSeconds, clock, "the training clock stops while paused")
        s.send(.singleStep, to: 0)
        waitFor(s, "one step") { $0.configurations[0].step == held[0] + 1 }
        usleep(100_000)
        XCTAssertEqual(s.store.snapshot().configurations.map(\.step), [held[0] + 1, held[1]])
        s.send(.resume)
        waitFor(s, "resume") { $0.configurations.allSatisfy { $0.step > held.max()! + 20 } }
        s.stop()
        XCTAssertTrue(s.store.snapshot().configurations.allSatisfy { $0.status == .stopped })
    }

    func testParameterChangeIsAnEventAtTheStepItTookEffect() throws {
        let s = try session(try experiment(["training.steps=100000"]), "bpgrad", options: live(paused: true))
        s.start()
        for _ in 0..<7 { s.send(.singleStep) }
        waitFor(s, "seven steps") { $0.configurations[0].step == 7 }
        s.send(.set("lipschitz", .number(33)))
        waitFor(s, "the set event") { $0.events.contains { $0.kind == .set } }
        let event = s.store.snapshot().events.first { $0.kind == .set }!
        XCTAssertEqual(event.step, 7)
        XCTAssertEqual(event.detail, "lipschitz 20 -> 33")
        XCTAssertEqual(event.change, HyperChange(key: "lipschitz", old: .number(20), new: .number(33)))
        s.send(.singleStep)
        waitFor(s, "step 8") { $0.configurations[0].step == 8 }
        XCTAssertEqual(s.store.snapshot().configurations[0].latest?.telemetry.lipschitz, 33)
        XCTAssertEqual(s.store.snapshot().configurations[0].hyper["lipschitz"], .number(33))
        // A set that changes nothing writes nothing; a typed value that does not parse is a rejection.
        s.send(.set("lipschitz", .number(33)))
        s.send(.setText("lipschitz", "-1"))
        waitFor(s, "the rejection") { $0.events.contains { $0.kind == .rejected } }
        let events = s.store.snapshot().events
        XCTAssertEqual(events.filter { $0.kind == .set }.count, 1, "the unchanged set left no event")
        XCTAssertEqual(events.first { $0.kind == .rejected }?.detail, "lipschitz -1: invalid value -1 (must be > 0)")
        s.stop()
    }

    /// Ten quick presses are ten changes of x1.25, however fast they arrive.
    func testEveryNudgeCounts() throws {
        for paused in [true, false] {
            let s = try session(try experiment(["training.steps=100000"]), "bpgrad", options: live(paused: paused))
            s.start()
            for _ in 0..<10 { s.send(.nudge("lipschitz", up: true)) }
            waitFor(s, "ten set events") { $0.events.filter { $0.kind == .set }.count == 10 }
            let l = s.store.snapshot().configurations[0].hyper["lipschitz"]!.number!
            XCTAssertEqual(l, 20 * pow(1.25, 10), accuracy: 1e-9)
            let values = s.store.snapshot().events.filter { $0.kind == .set }.compactMap { $0.change?.new.number }
            XCTAssertEqual(Set(values).count, 10, "ten distinct values")
            s.stop()
        }
    }

    func testDivergingSolverDoesNotStopTheOthers() throws {
        let s = try session(try experiment(["sgd.lr=1e30", "training.steps=200"]), "sgd, adam")
        s.start()
        XCTAssertTrue(s.wait(timeout: .now() + 60))
        let snap = s.store.snapshot()
        guard case .diverged(let at) = snap.configurations[0].status else { return XCTFail("sgd: \(snap.configurations[0].status)") }
        XCTAssertLessThan(at, 200)
        XCTAssertEqual(snap.configurations[1].status, .finished)
        XCTAssertEqual(snap.configurations[1].step, 200)
        XCTAssertTrue(snap.events.contains { $0.kind == .diverged && $0.solver == "sgd" && $0.step == at })
        XCTAssertTrue(snap.markers.contains { $0.kind == .diverged }, "a divergence is a marker, kept exactly")
    }

    /// The dashboard's sessions train on past the preset's length, and stop there on request.
    func testLiveSessionsGoPastTheirLength() throws {
        let s = try session(try experiment(), "adam", options: live())
        s.start()
        waitFor(s, "step 60") { $0.configurations[0].step >= 60 }
        let snap = s.store.snapshot()
        XCTAssertEqual(snap.configurations[0].status, .running)
        XCTAssertEqual(snap.events.filter { $0.kind == .lengthReached }.map(\.step), [50])
        XCTAssertEqual(snap.events.filter { $0.kind == .eval && (51...59).contains($0.step) }.count, 0,
                       "past the length, evaluations keep their schedule (here: epoch ends at multiples of 10)")
        s.send(.stopAtLength(true))
        waitFor(s, "finished") { $0.configurations[0].status == .finished }
        // `t` again: the configuration that stopped at the length trains on.
        let stoppedAt = s.store.snapshot().configurations[0].step
        s.send(.stopAtLength(false))
        waitFor(s, "training again") { $0.configurations[0].status == .running && $0.configurations[0].step > stoppedAt + 5 }
        XCTAssertTrue(s.store.snapshot().events.contains { $0.kind == .resume && $0.detail.contains("training goes on") })
        s.stop()
    }

    func testPauseAtAStep() throws {
        var o = live()
        o.pauseAt = 12
        let s = try session(try experiment(), "bpgrad, adam", options: o)
        s.start()
        waitFor(s, "both paused") { $0.configurations.allSatisfy { $0.status == .paused } }
        XCTAssertEqual(s.store.snapshot().configurations.map(\.step), [12, 12])
        s.stop()
    }

    /// A speed cap holds: never more steps than the cap allows (an upper bound, safe on a busy machine).
    func testSpeedCapLimitsSteps() throws {
        var o = live()
        o.speed = 20
        let s = try session(try experiment(["training.steps=100000"]), "adam", options: o)
        s.start()
        waitFor(s, "the first step") { $0.configurations[0].step >= 1 }
        let start = Date(), first = s.store.snapshot().configurations[0].step
        usleep(1_000_000)
        let taken = s.store.snapshot().configurations[0].step - first
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertLessThanOrEqual(Double(taken), 20 * elapsed + 2, "at most 20 steps/s")
        XCTAssertGreaterThan(taken, 0)
        s.send(.limitSpeed(nil))
        waitFor(s, "full speed again") { $0.configurations[0].step > first + taken + 200 }
        s.stop()
    }

    /// A fork with no change continues bit-identically to its parent, both running.
    func testForkWithoutChangeMatchesItsParent() throws {
        let s = try session(try experiment(["training.steps=100000", "training.batch_size=16"]), "bpgrad, adam", options: live(paused: true))
        s.start()
        for _ in 0..<9 { s.send(.singleStep) }
        waitFor(s, "nine steps") { $0.configurations.allSatisfy { $0.step == 9 } }
        XCTAssertTrue(s.fork(0))
        XCTAssertTrue(s.fork(1))
        waitFor(s, "the forks") { $0.configurations.count == 4 }
        // The two forks happen on their parents' queues, in either order.
        let names = s.store.snapshot().configurations.map(\.name)
        XCTAssertEqual(Set(names), ["bpgrad", "adam", "bpgrad-fork9", "adam-fork9"])
        let forkOf = ["bpgrad": names.firstIndex(of: "bpgrad-fork9")!, "adam": names.firstIndex(of: "adam-fork9")!]
        XCTAssertEqual(s.store.snapshot().configurations[forkOf["bpgrad"]!].configuration.parent, "bpgrad")
        XCTAssertEqual(s.store.snapshot().configurations[forkOf["bpgrad"]!].configuration.forkStep, 9)
        s.send(.resume)
        waitFor(s, "50 steps past the fork") { $0.configurations.allSatisfy { $0.step >= 59 } }
        s.send(.pause)
        waitFor(s, "paused") { $0.configurations.allSatisfy { $0.status == .paused } }
        let snap = s.store.snapshot()
        for (parent, fork) in [(0, forkOf["bpgrad"]!), (1, forkOf["adam"]!)] {
            let p = snap.configurations[parent].series[.loss]!.recent.filter { $0.x > 9 && $0.x <= 59 }
            let f = snap.configurations[fork].series[.loss]!.recent.filter { $0.x <= 59 }
            XCTAssertEqual(f.first?.x, 10, "the fork's data starts after the fork step")
            XCTAssertEqual(p.count, 50)
            XCTAssertEqual(p, f, "\(snap.configurations[fork].name) differs from its parent")
        }
        XCTAssertTrue(snap.events.contains { $0.kind == .fork && $0.solver == "bpgrad-fork9" && $0.detail == "from bpgrad at step 9" })
        s.stop()
    }

    /// Forks asked for faster than their parents adopt them still count against the limit of
    /// configurations (each was checked against the count before any had arrived).
    func testForksInFlightCountAgainstTheLimit() throws {
        let s = try session(try experiment(["training.steps=100000"]), "bpgrad", options: live(paused: true))
        s.start()
        var accepted = 0
        for _ in 0..<30 where s.fork(0) { accepted += 1 }
        XCTAssertEqual(accepted, Configuration.limit - 1, "one parent and at most \(Configuration.limit - 1) forks")
        waitFor(s, "the forks") { $0.configurations.count == Configuration.limit }
        usleep(100_000)
        XCTAssertEqual(s.store.snapshot().configurations.count, Configuration.limit)
        XCTAssertFalse(s.fork(0))
        XCTAssertThrowsError(try s.requestFork(0)) { XCTAssertEqual($0 as? ForkRefusal, .limit) }
        XCTAssertThrowsError(try s.requestFork(40)) { XCTAssertEqual($0 as? ForkRefusal, .noSuchConfiguration(40)) }
        s.stop()
        XCTAssertThrowsError(try s.requestFork(0)) { XCTAssertEqual($0 as? ForkRefusal, .stopping) }
    }

    /// A fork of a configuration that stopped at the preset's length stops there too (it
    /// trained on past it while its parent said finished).
    func testAForkOfAFinishedConfigurationIsFinished() throws {
        var options = live()
        options.stopAtLength = true
        let s = try session(try experiment(), "adam", options: options)
        s.start()
        waitFor(s, "finished") { $0.configurations[0].status == .finished }
        XCTAssertTrue(s.fork(0))
        waitFor(s, "the fork, finished") { $0.configurations.count == 2 && $0.configurations[1].status == .finished }
        usleep(200_000)
        XCTAssertEqual(s.store.snapshot().configurations[1].step, 50)
        s.stop()
    }

    /// A fork that its parent hands over while the session stops is dropped, never started
    /// without a stop: `stop()` returns (it used to wait forever for the new worker).
    func testStopDuringAForkReturns() throws {
        let e = try experiment(["training.steps=100000"])
        for round in 0..<40 {
            let s = try session(e, "bpgrad, adam", options: live(paused: round % 2 == 0))
            s.start()
            if round % 4 == 1 { usleep(UInt32(round * 50)) }
            _ = s.fork(0)
            _ = s.fork(1)
            let stopped = DispatchSemaphore(value: 0)
            Thread.detachNewThread { s.stop(); stopped.signal() }
            guard stopped.wait(timeout: .now() + 20) == .success else {
                return XCTFail("round \(round): stop() did not return with a fork in flight")
            }
            XCTAssertLessThanOrEqual(s.store.snapshot().configurations.count, 4)
        }
    }

    /// A restart is a new session in a new directory that repeats the first run bit for bit;
    /// the old directory is left as it was, ending in a `restart` event.
    func testRestartReproducesTheFirstRunBitForBitInANewDirectory() throws {
        let dir = makeTemporaryFolder() + "/run"
        let e = try experiment()
        let s = try session(e, "bpgrad, adam", dir: dir, options: .headless)
        s.start(); s.wait()
        let first = s.store.snapshot().configurations.map(losses)
        let next = RunDirectory.successorPath(of: dir)
        XCTAssertEqual(next, dir + "-r2")
        let successor = try s.successor(runDirectory: RunDirectory(experiment: e, configurations: s.configurations, totalSteps: 50,
                                                                  explicitPath: next, previous: dir))
        s.finish(restartedIn: next)
        successor.start(); successor.wait(); successor.finish()
        XCTAssertEqual(successor.store.snapshot().configurations.map(losses), first)
        let events = try String(contentsOfFile: "\(dir)/events.csv", encoding: .utf8)
        XCTAssertTrue(events.hasSuffix(",,restart,continues in \(next)\n"), events)
        for d in [dir, next] {
            let rows = try String(contentsOfFile: "\(d)/bpgrad.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            XCTAssertEqual(rows.map { Int($0.split(separator: ",")[0])! }, Array(1...50), "one run per file, steps strictly increasing")
        }
        XCTAssertEqual(RunDirectory.successorPath(of: next), dir + "-r3")
    }

    func testRunDirectoryFollowsTheFormat() throws {
        let dir = makeTemporaryFolder() + "/run"
        let s = try session(try experiment(), "bpgrad, adam", dir: dir)
        s.start()
        s.wait()
        s.finish()
        for name in ["run.json", "bpgrad.csv", "adam.csv", "events.csv", "summary.json", "preset.yaml", "commands.jsonl"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(dir)/\(name)"), name)
        }
        let bp = try String(contentsOfFile: "\(dir)/bpgrad.csv", encoding: .utf8).split(separator: "\n")
        let ad = try String(contentsOfFile: "\(dir)/adam.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(String(bp[0]), StepCSV.header)
        XCTAssertEqual(bp.count, 51)
        XCTAssertEqual(bp[1].split(separator: ",")[3], ad[1].split(separator: ",")[3], "first rows carry the same loss")
        // The reader of docs/run-format.md reads what the writer wrote.
        let runJSON = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/run.json"))
        let raw = try JSONSerialization.jsonObject(with: runJSON) as! [String: Any]
        XCTAssertEqual(raw["format"] as? String, "bpgrad-run")
        XCTAssertEqual(raw["version"] as? Int, 1)
        XCTAssertTrue(raw["previous"] is NSNull, "fields without a value are written as null")
        let manifest = try XCTUnwrap(try RunManifest.parse(runJSON, file: "run.json")).manifest
        XCTAssertEqual(manifest.configurations.map(\.name), ["bpgrad", "adam"])
        XCTAssertEqual(manifest.configurations[0].hyperparameters["lipschitz"], .number(20))
        XCTAssertEqual(manifest.configurations[0].hyperparameters["eta_placement"], .string("paper"))
        XCTAssertEqual(manifest.batchSize, 16)
        let summary = try XCTUnwrap(RunSummary.parse(Data(contentsOf: URL(fileURLWithPath: "\(dir)/summary.json"))))
        XCTAssertEqual(summary.state, .finished)
        XCTAssertEqual(summary.solvers.map(\.status), ["finished", "finished"])
        XCTAssertEqual(summary.solvers.map(\.steps), [50, 50])
        // samples/s once finished is the run's mean, the CSV's own: samples over the last row's wall_ms.
        let lastWall = Double(bp.last!.split(separator: ",").last!)! / 1000
        let rate = try XCTUnwrap(summary.solvers[0].samplesPerSecond)
        XCTAssertEqual(rate, Double(50 * 16) / lastWall, accuracy: 1e-3 * rate)
        let events = try String(contentsOfFile: "\(dir)/events.csv", encoding: .utf8)
        XCTAssertTrue(events.hasPrefix(SessionEvent.csvHeader))
        XCTAssertTrue(events.contains(",bpgrad,finished,"))
        let kinds = Set(events.split(separator: "\n").dropFirst().map { String($0.split(separator: ",", omittingEmptySubsequences: false)[3]) })
        XCTAssertTrue(kinds.isSubset(of: Set(EventKind.allCases.map(\.rawValue))), "\(kinds)")
    }

    func testARunDirectoryIsNeverWrittenTwice() throws {
        let dir = makeTemporaryFolder() + "/run"
        let e = try experiment()
        let c = try e.preset.configurations("adam")
        _ = try RunDirectory(experiment: e, configurations: c, totalSteps: 50, explicitPath: dir)
        XCTAssertThrowsError(try RunDirectory(experiment: e, configurations: c, totalSteps: 50, explicitPath: dir)) { error in
            XCTAssertTrue("\(error)".contains("already holds a run"), "\(error)")
        }
        XCTAssertEqual(RunDirectory.freshPath(dir), dir + "-2")
    }

    /// A viewer appends to commands.jsonl; the writer applies it between steps and says so in events.csv.
    func testCommandsFileSteersTheRun() throws {
        let dir = makeTemporaryFolder() + "/run"
        let s = try session(try experiment(["training.steps=100000"]), "bpgrad, adam", dir: dir, options: live())
        s.start()
        waitFor(s, "some steps") { $0.configurations.allSatisfy { $0.step > 5 } }
        let lines = """
        {"id": "v1", "solver": "bpgrad", "set": "lipschitz", "value": 50}
        {"id": "v2", "solver": "adam", "set": "lr", "value": -1}
        {"id": "v3", "solver": "nobody", "set": "lr", "value": 1}
        not json
        {"id": "v4", "command": "pause"}
        {"id": "v5", "solver": "adam", "set": "lr", "value": 0.5}
        """ + "\n"
        let h = FileHandle(forWritingAtPath: "\(dir)/commands.jsonl")!
        h.seekToEndOfFile(); h.write(lines.data(using: .utf8)!); h.write(#"{"id": "v6", "solver": "bp"#.data(using: .utf8)!); try h.close()
        waitFor(s, "paused by the file") { $0.configurations.allSatisfy { $0.status == .paused } }
        waitFor(s, "adam's lr") { $0.configurations[1].hyper["lr"] == .number(0.5) }
        let events = s.store.snapshot().events
        let set = events.first { $0.kind == .set && $0.solver == "bpgrad" }
        XCTAssertEqual(set?.detail, "lipschitz 20 -> 50 (command v1)")
        XCTAssertTrue(events.contains { $0.kind == .rejected && $0.solver == "adam" && $0.detail.hasSuffix("(command v2)") })
        XCTAssertTrue(events.contains { $0.kind == .rejected && $0.detail.contains("no configuration named 'nobody'") })
        XCTAssertTrue(events.contains { $0.kind == .rejected && $0.detail.contains("not a command object") })
        XCTAssertEqual(s.store.snapshot().configurations[0].hyper["lipschitz"], .number(50))
        XCTAssertFalse(events.contains { $0.detail.contains("v6") }, "the unterminated last line waits for its newline")
        s.stop()
    }

    /// A sweep with more combinations than slots: never more than `parallel` train at once,
    /// every one runs to the end, and each gives what it gives alone.
    func testSweepSchedulingWithMoreCombinationsThanSlots() throws {
        let e = try experiment(["training.steps=120"])
        let grid = try SweepGrid(["lipschitz=1,3,10,30,100"])
        let specs = try XCTUnwrap(grid.expand(ConfigurationSpec(solver: "bpgrad")))
        let configurations = try ConfigurationList.resolve(specs, base: e.preset.settings, field: "--grid", limit: SweepGrid.limit)
        var options = Session.Options.headless
        options.parallel = 2
        options.targetLoss = 0.6
        let s = try Session(experiment: e, configurations: configurations, runDirectory: nil, options: options)
        s.start()
        var most = 0
        while !s.wait(timeout: .now() + .milliseconds(1)) {
            most = max(most, s.store.snapshot().configurations.filter { $0.status == .running }.count)
        }
        XCTAssertLessThanOrEqual(most, 2, "at most two at a time")
        let snap = s.store.snapshot()
        XCTAssertEqual(snap.configurations.map(\.step), Array(repeating: 120, count: 5))
        let alone = try session(e, "bpgrad:lipschitz=30")
        alone.start(); alone.wait()
        XCTAssertEqual(losses(snap.configurations[3]), losses(alone.store.snapshot().configurations[0]), "a swept run equals the same run alone")
        let report = SweepReport(grid: grid, snapshot: snap, targetLoss: 0.6)
        XCTAssertEqual(report.rows.count, 5)
        XCTAssertTrue(report.csv.hasPrefix("lipschitz,name,status,steps,final_loss,best_test_accuracy,final_test_loss,steps_to_target,diverged_at\n"))
        let accuracies = report.rows.compactMap { $0.metrics.bestTestAccuracy }
        XCTAssertEqual(accuracies, accuracies.sorted(by: >), "best first")
    }

    /// A reader hammering the store while two configurations train sees consistent, growing data.
    func testConcurrentReadersSeeMonotonicSteps() throws {
        let s = try session(try experiment(["training.steps=400"]), "bpgrad, adam")
        s.start()
        var last = [0, 0]
        while !s.wait(timeout: .now()) {
            let snap = s.store.snapshot()
            for (i, m) in snap.configurations.enumerated() {
                XCTAssertGreaterThanOrEqual(m.step, last[i])
                last[i] = m.step
                XCTAssertEqual(m.series[.loss]!.recent.last.map { Int($0.x) } ?? 0, m.step)
            }
        }
        XCTAssertEqual(s.store.snapshot().configurations.map(\.step), [400, 400])
    }

    /// Boundaries are computed on each configuration's own queue, even while paused, into the store.
    func testDecisionBoundaryComputedOnRequest() throws {
        let s = try session(try experiment(), "bpgrad, adam", options: live(paused: true))
        s.start()
        let request = DecisionBoundary.Request(x: -1.5...2.5, y: -1...1.5, width: 8, height: 6)
        s.send(.computeBoundary(request))
        waitFor(s, "both boundaries") { $0.configurations.allSatisfy { $0.boundary != nil } }
        for m in s.store.snapshot().configurations {
            let b = m.boundary!
            XCTAssertEqual(b.classes.count, 48)
            XCTAssertTrue(b.classes.allSatisfy { $0 < 2 })
            XCTAssertTrue(b.confidence.allSatisfy { $0 >= 0.5 && $0 <= 1 }, "two classes: the winner has at least half")
            XCTAssertEqual(b.step, 0)
        }
        // Both start from the same weights, so at step 0 their boundaries must agree exactly.
        let boundaries = s.store.snapshot().configurations.map { $0.boundary! }
        XCTAssertEqual(boundaries[0].classes, boundaries[1].classes)
        XCTAssertEqual(boundaries[0].confidence, boundaries[1].confidence)
        s.stop()
    }
}
