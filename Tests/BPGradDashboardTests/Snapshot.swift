import BPGradDashboard
import Foundation
import XCTest

/// Compares a grid's text with `Snapshots/<name>.txt` beside this file. With
/// `SNAPSHOT_RECORD=1` it writes the file instead, and fails so a recording is never a pass.
func assertSnapshot(_ grid: Grid, named name: String, file: StaticString = #filePath, line: UInt = #line) {
    let url = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().appendingPathComponent("Snapshots/\(name).txt")
    let actual = grid.description + "\n"
    if ProcessInfo.processInfo.environment["SNAPSHOT_RECORD"] == "1" {
        try? actual.write(to: url, atomically: true, encoding: .utf8)
        XCTFail("recorded snapshot \(name); run again without SNAPSHOT_RECORD", file: file, line: line)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        XCTFail("no snapshot \(name) (record with SNAPSHOT_RECORD=1):\n\(actual)", file: file, line: line)
        return
    }
    XCTAssertEqual(actual, expected, "snapshot \(name) differs:\n\(actual)", file: file, line: line)
}
