import BPGradDashboard
import Foundation
import XCTest

/// Compares a grid with `Snapshots/<name>.txt` beside this file: its text, and with `styles`
/// also a map of every cell's style (one letter per style, `.` for plain) and the legend of
/// those letters, so a colour or attribute change fails too. With `SNAPSHOT_RECORD=1` it
/// writes the file instead, and fails so a recording is never a pass.
func assertSnapshot(_ grid: Grid, named name: String, styles: Bool = false, file: StaticString = #filePath, line: UInt = #line) {
    let url = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().appendingPathComponent("Snapshots/\(name).txt")
    let actual = grid.description + "\n" + (styles ? styleMap(grid) : "")
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

/// The grid's styles as letters, then what each letter means.
func styleMap(_ grid: Grid) -> String {
    let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    var keys = [Style: Character](), legend = [String]()
    var rows = [String]()
    for y in 0..<grid.height {
        var row = ""
        for x in 0..<grid.width {
            let s = grid[x, y].style
            if s == .plain { row.append("."); continue }
            if keys[s] == nil {
                let k = keys.count < letters.count ? letters[keys.count] : "?"
                keys[s] = k
                legend.append("\(k) \(describe(s))")
            }
            row.append(keys[s]!)
        }
        rows.append(row)
    }
    return "--- styles\n" + rows.joined(separator: "\n") + "\n--- legend\n" + legend.joined(separator: "\n") + "\n"
}

private func describe(_ s: Style) -> String {
    func c(_ c: Color) -> String {
        switch c {
        case .reset: "-"
        case .basic(let i): "b\(i)"
        case .indexed(let i): "\(i)"
        }
    }
    return "fg \(c(s.fg)) bg \(c(s.bg))" + (s.bold ? " bold" : "") + (s.dim ? " dim" : "") + (s.reverse ? " reverse" : "")
}

/// A grid filled with a sentinel, so cells a widget leaves alone stay visible in a test.
func sentinelGrid(_ w: Int, _ h: Int) -> Grid { Grid(width: w, height: h, fill: Cell("░", .plain)) }
