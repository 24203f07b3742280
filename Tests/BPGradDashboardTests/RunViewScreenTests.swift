import BPGradDashboard
import BPGradEngine
import Foundation
import XCTest

/// `view` of two run directories: both runs' configurations overlaid, names that clash told
/// apart by run, the hyperparameters in force after a `set` event, and the markers.
final class RunViewScreenTests: XCTestCase {
    private func writeRun(_ dir: String, preset: String, configurations: [(String, String, String)], steps: Int, scale: Double,
                          lipschitz: Int = 10) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let configs = configurations.map {
            #"{"name": "\#($0.0)", "kind": "\#($0.1)", "label": "\#($0.2)", "hyperparameters": {"lipschitz": \#(lipschitz)}, "parent": null, "fork_step": null}"#
        }
        try #"{"format": "bpgrad-run", "version": 1, "preset": "\#(preset)", "batch_size": 32, "steps_per_epoch": 20, "total_steps": \#(steps), "configurations": [\#(configs.joined(separator: ","))]}"#
            .write(toFile: "\(dir)/run.json", atomically: true, encoding: .utf8)
        for (k, c) in configurations.enumerated() {
            var text = StepCSV.header + "\n"
            for s in 1...steps {
                var t = SolverTelemetry()
                let loss = scale / (1 + Double(s) / Double(30 + 20 * k)) + 0.01 * sin(Double(s))
                t.gradNorm = loss / 2
                if c.1 == "bpgrad" { t.eta = loss / 10; t.radius = t.eta; t.fStar = 0.01; t.stepNorm = loss / 9; t.lipschitz = s > 60 ? 20 : 10 } else {
                    t.lr = 0.01; t.stepNorm = 0.02
                }
                let test: Evaluation? = s % 20 == 0 ? Evaluation(loss: loss * 1.1, accuracy: min(1, Double(s) / Double(steps))) : nil
                text += StepCSV.line(StepRecord(step: s, epoch: (s - 1) / 20 + 1, loss: loss, test: test, telemetry: t,
                                                wallMilliseconds: Double(s) * 10, samples: 32), name: c.0) + "\n"
            }
            try text.write(toFile: "\(dir)/\(c.0).csv", atomically: true, encoding: .utf8)
        }
        var events = SessionEvent.csvHeader + "\n"
        if configurations.contains(where: { $0.0 == "bpgrad" }) { events += "60,600.000,bpgrad,set,lipschitz \(lipschitz) -> 20 (command w1-1)\n" }
        events += configurations.map { "\(steps),\(Double(steps) * 10),\($0.0),finished,\n" }.joined()
        try events.write(toFile: "\(dir)/events.csv", atomically: true, encoding: .utf8)
    }

    func testTwoRunDirectoriesOverlaid() throws {
        let root = NSTemporaryDirectory() + "view-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try writeRun("\(root)/first", preset: "spirals", configurations: [("bpgrad", "bpgrad", "BPGrad"), ("adam", "adam", "Adam")], steps: 120, scale: 1)
        try writeRun("\(root)/second", preset: "moons", configurations: [("bpgrad", "bpgrad", "BPGrad")], steps: 80, scale: 0.8,
                     lipschitz: 30)
        var overlay = RunOverlay(paths: ["\(root)/first", "\(root)/second"])
        try overlay.load()
        let snap = overlay.snapshot
        XCTAssertEqual(snap.configurations.map(\.name), ["first/bpgrad", "adam", "second/bpgrad"], "clashing names are told apart by run")
        XCTAssertEqual(snap.configurations.map(\.label), ["first/BPGrad", "Adam", "second/BPGrad"])
        XCTAssertEqual(snap.configurations.map(\.step), [120, 120, 80])
        XCTAssertTrue(snap.configurations.allSatisfy { $0.status == .finished })
        XCTAssertEqual(snap.configurations[0].hyper["lipschitz"], .number(20), "the set event's value is in force")
        XCTAssertEqual(snap.markers.map(\.solver), ["first/bpgrad", "second/bpgrad"], "markers keep their run's name")
        XCTAssertEqual(snap.markers.first?.change, HyperChange(key: "lipschitz", old: .number(10), new: .number(20)))
        XCTAssertEqual(overlay.differences, "preset spirals | moons · steps 120 | 80 · bpgrad lipschitz 10 | 30 · adam only in first")
        XCTAssertEqual(snap.configurations[0].samplesPerSecond, 3200, accuracy: 1e-6, "32 samples per 10 ms, from run.json and wall_ms")
        var info = DashboardInfo(manifest: overlay.runs[0].manifest, runDirectory: "\(root)/first \(root)/second", source: .view)
        info.presetName = "2 runs: moons, spirals"
        info.runDirectory = "first second"
        info.note = "differ: " + overlay.differences
        let g = DashboardView(snapshot: snap, info: info, state: DashboardState()).render(width: 120, height: 36)
        assertSnapshot(g, named: "view-two-runs-120x36", styles: true)
        XCTAssertTrue(g.description.contains("1 L 10→20 @60"), g.description)
        XCTAssertFalse(g.lines[0].contains("data"), "a run.json without a dataset shows none")
    }
}
