@testable import bpgrad_tui
import BPGradDashboard
import BPGradEngine
import Foundation
import XCTest

/// `view` and `watch` on runs that once showed "running" for ever or hung (issue 20).
final class RunViewerAppTests: XCTestCase {
    private var dir = ""
    private var stamp = ""

    override func setUp() {
        dir = NSTemporaryDirectory() + "viewer-\(UUID().uuidString)/killed"
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try! #"{"format": "bpgrad-run", "version": 1, "configurations": [{"name": "adam", "kind": "adam", "label": "Adam"}]}"#
            .write(toFile: "\(dir)/run.json", atomically: true, encoding: .utf8)
        try! (StepCSV.header + "\n1,1,adam,0.5,,,0.01,,,,1,0.1,,,,,5\n").write(toFile: "\(dir)/adam.csv", atomically: true, encoding: .utf8)
        // A writer killed with -9 a minute ago: summary.json still says running.
        let then = time(nil) - 60
        stamp = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(then)))
        try! #"{"format": "bpgrad-run", "version": 1, "state": "running", "updated": "\#(stamp)", "solvers": [{"solver": "adam", "status": "running"}]}"#
            .write(toFile: "\(dir)/summary.json", atomically: true, encoding: .utf8)
        let old = timeval(tv_sec: then, tv_usec: 0)
        var times = [old, old]
        XCTAssertEqual(utimes("\(dir)/summary.json", &times), 0)
        XCTAssertEqual(utimes("\(dir)/adam.csv", &times), 0)
        XCTAssertEqual(mkfifo("\(dir)/events.csv", 0o600), 0)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: (dir as NSString).deletingLastPathComponent) }

    private func header(follow: Bool) throws -> String {
        var overlay = RunOverlay(paths: [dir])
        try overlay.load()
        let screen = ScriptedScreen(width: 260, height: 40, keys: [.character("q")])
        RunViewerApp(screen: screen, overlay: overlay, paths: [dir], follow: follow, fps: 50).run()
        return screen.lastFrame.lines.prefix(3).joined(separator: "\n")
    }

    func testKilledRunIsStaleAndAFIFOIsNamedInViewAndWatch() throws {
        for follow in [false, true] {
            let text = try header(follow: follow)
            XCTAssertTrue(text.contains("stale (no update since \(stamp), 1:0"), text)
            XCTAssertTrue(text.contains("events.csv is a named pipe (FIFO)"), text)
        }
    }
}
