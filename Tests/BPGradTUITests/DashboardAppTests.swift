@testable import bpgrad_tui
import BPGradDashboard
import BPGradEngine
import Foundation
import XCTest

/// The dashboard's loop driven through a scripted terminal: keys in, frames and run
/// directories out, with the real sessions behind them.
final class DashboardAppTests: XCTestCase {
    private var root = ""

    override func setUp() {
        root = NSTemporaryDirectory() + "app-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: root) }

    private func preset(_ name: String) throws -> Preset {
        try PresetLibrary.standard().load(name, overrides: ["training.steps=200"])
    }

    private func app(_ script: [ScriptedScreen.Step], solvers: String = "bpgrad, adam", paused: Bool = true) throws -> (DashboardApp, ScriptedScreen, String) {
        let dir = root + "/run"
        let options = try RunOptions.parse(["--run-dir", dir, "--solvers", solvers])
        var session = Session.Options.live
        session.startPaused = paused
        let live = try LiveSession(preset: try preset("spirals"), configurations: try options.configurations(try preset("spirals")),
                                   runOptions: options, options: session)
        let screen = ScriptedScreen(script)
        return (DashboardApp(screen: screen, live: live, runOptions: options, presets: .standard(), options: session, state: DashboardState(), fps: 50), screen, dir)
    }

    /// Loading a preset from the picker stops the old session, leaves its directory whole, and
    /// starts the new one in `DIR-<preset>`.
    func testLoadingAPresetSwapsTheSession() throws {
        // The picker opens on spirals; moons is two above it (sine-regression between).
        let (app, screen, dir) = try app([.key(.character("n")), .key(.character("p")), .key(.up), .key(.up), .key(.enter),
                                          .waitFor("loaded moons"), .key(.character("q"))])
        let shown = app.run()
        XCTAssertEqual(shown, dir + "-moons", "the app ends on the new session's directory")
        XCTAssertTrue(screen.frames.contains { $0.description.contains("moons") }, "the new preset is drawn")
        let oldEvents = try String(contentsOfFile: dir + "/events.csv", encoding: .utf8)
        XCTAssertTrue(oldEvents.contains(",bpgrad,stop,"), "the old session was stopped")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "-moons/run.json"))
        let manifest = try XCTUnwrap(try RunManifest.parse(Data(contentsOf: URL(fileURLWithPath: dir + "-moons/run.json")), file: "run.json")).manifest
        XCTAssertEqual(manifest.preset, "moons")
        XCTAssertEqual(manifest.configurations.map(\.name), ["bpgrad", "adam"], "the same --solvers")
        // The dashboard trains on until stopped: open-ended, so total_steps is null.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/run.json"))) as? [String: Any]
        XCTAssertTrue(json?["total_steps"] is NSNull, "\(String(describing: json?["total_steps"]))")
        XCTAssertNil(manifest.totalSteps)
    }

    /// `r` continues in DIR-r2 and the first directory ends in a restart event; `F` forks.
    func testRestartAndFork() throws {
        let (app, screen, dir) = try app([.key(.character("n")), .key(.character("n")), .key(.character("F")), .waitFor("3 BPGrad fork@"),
                                          .key(.character("r")), .waitFor("restarted"), .key(.character("q"))])
        XCTAssertEqual(app.run(), dir + "-r2")
        let events = try String(contentsOfFile: dir + "/events.csv", encoding: .utf8)
        XCTAssertTrue(events.hasSuffix(",,restart,continues in \(dir)-r2\n"), events)
        XCTAssertTrue(events.contains(",bpgrad-fork"), "the fork started in the first run")
        let manifest = try XCTUnwrap(try RunManifest.parse(Data(contentsOf: URL(fileURLWithPath: dir + "-r2/run.json")), file: "run.json")).manifest
        XCTAssertEqual(manifest.previous, dir)
        XCTAssertEqual(manifest.configurations.count, 3, "the fork runs again, from the start")
        XCTAssertTrue(screen.lastFrame.description.contains("restarted"))
    }

    func testComparisonTableShowsTheHyperparametersThatDiffer() throws {
        let configurations = try preset("spirals").configurations("bpgrad:lipschitz=5, bpgrad:lipschitz=50:momentum=0.5, adam")
        let snap = SessionSnapshot(configurations: configurations.map { ConfigurationMetrics(configuration: $0, totalSteps: 10) })
        let lines = ComparisonTable(snapshot: snap).text.split(separator: "\n").map { line in
            line.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        XCTAssertEqual(lines[0], ["configuration", "status", "L", "mu", "train loss (EMA)", "best test acc", "test loss", "samples/s", "steps"],
                       "a column for each hyperparameter that differs, none for those that do not")
        XCTAssertEqual(lines[2], ["BPGrad L=5", "starting", "5", "0.9", "-", "-", "-", "0", "0"])
        XCTAssertEqual(lines[3], ["BPGrad L=50 mu=0.5", "starting", "50", "0.5", "-", "-", "-", "0", "0"])
        XCTAssertEqual(lines[4], ["Adam", "starting", "-", "-", "-", "-", "-", "0", "0"])
    }

    /// --run-dir and --no-log are shared by every training command and exclude each other.
    func testRunDirectoryAndNoLogExcludeEachOther() {
        XCTAssertThrowsError(try RunOptions.parse(["--run-dir", "x", "--no-log"])) { error in
            XCTAssertTrue(RunOptions.message(for: error).contains("give --run-dir or --no-log, not both"), "\(error)")
        }
        XCTAssertNoThrow(try RunOptions.parse(["--no-log"]))
    }
}
