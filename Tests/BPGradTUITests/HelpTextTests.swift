@testable import bpgrad_tui
import ArgumentParser
import Foundation
import XCTest

/// Every command's --help, against `Help/<command>.txt` beside this file (re-record with
/// SNAPSHOT_RECORD=1, which fails while recording): an option renamed or dropped shows here.
final class HelpTextTests: XCTestCase {
    static let commands: [(String, any ParsableCommand.Type)] = [
        ("bpgrad-tui", BPGradTUI.self), ("dashboard", DashboardCommand.self), ("train", TrainCommand.self),
        ("compare", CompareCommand.self), ("sweep", SweepCommand.self), ("view", ViewCommand.self), ("watch", WatchCommand.self),
        ("plot", PlotCommand.self), ("landscape", LandscapeCommand.self), ("bench", BenchCommand.self), ("presets", PresetsCommand.self), ("solvers", SolversCommand.self),
    ]

    func testEveryCommandsHelp() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Help")
        XCTAssertEqual(Self.commands.count, BPGradTUI.configuration.subcommands.count + 1, "a command without a help test")
        for (name, command) in Self.commands {
            let text = command.helpMessage(columns: 100) + "\n"
            let file = folder.appendingPathComponent("\(name).txt")
            if ProcessInfo.processInfo.environment["SNAPSHOT_RECORD"] == "1" {
                try text.write(to: file, atomically: true, encoding: .utf8)
                XCTFail("recorded \(name).txt; run again without SNAPSHOT_RECORD")
                continue
            }
            let expected = try String(contentsOf: file, encoding: .utf8)
            XCTAssertEqual(text, expected, "\(name) --help changed:\n\(text)")
        }
    }
}
