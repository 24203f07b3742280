import BPGradEngine
import Foundation
import XCTest

final class CommandSessionTests: XCTestCase {
    func testOneRejectionPerCommandAndIDsOnPauses() throws {
        let dir = makeTemporaryFolder() + "/run"
        let e = try Experiment(preset: PresetLibrary.parse(yaml: PresetTests.minimal, file: "tiny.yaml", overrides: ["training.steps=100000"]))
        let configurations = try e.preset.configurations("bpgrad, adam, sgd")
        let run = try RunDirectory(experiment: e, configurations: configurations, totalSteps: e.totalSteps, explicitPath: dir)
        let s = try Session(experiment: e, configurations: configurations, runDirectory: run, options: .live)
        s.start()
        let lines = """
        not json
        {"id": "s1", "solver": "adam", "set": "lr", "value": "0x10"}
        {"id": "p1", "command": "pause"}
        {"id": "u1", "solver": "nobody", "command": "resume"}
        """ + "\n"
        let h = FileHandle(forWritingAtPath: "\(dir)/commands.jsonl")!
        h.seekToEndOfFile(); h.write(lines.data(using: .utf8)!); try h.close()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !s.store.snapshot().configurations.allSatisfy({ $0.status == .paused }) { usleep(10000) }
        usleep(300_000)
        s.stop()
        let events = try String(contentsOfFile: "\(dir)/events.csv", encoding: .utf8).split(separator: "\n")
        let rejected = events.filter { $0.contains(",rejected,") }
        XCTAssertEqual(rejected.count, 3, "\(rejected)")
        XCTAssertEqual(events.filter { $0.contains(",pause,(command p1)") }.count, 3, "\(events)")
        XCTAssertTrue(rejected.contains { $0.contains("(command u1)") })
        XCTAssertEqual(s.store.snapshot().configurations[1].hyper["lr"], .number(0.01))
    }
}
