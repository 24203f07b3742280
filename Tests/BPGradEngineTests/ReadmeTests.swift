import BPGradEngine
import Foundation
import XCTest

/// The README's reference sections list what the registries hold, so a solver or layer added
/// without its documentation fails here.
final class ReadmeTests: XCTestCase {
    private func readme() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
    }

    /// The text from `start` to the next blank line.
    private func block(_ text: String, from start: String) throws -> Substring {
        let range = try XCTUnwrap(text.range(of: start), "README has no '\(start)'")
        let rest = text[range.lowerBound...]
        return rest[..<(rest.range(of: "\n\n")?.lowerBound ?? rest.endIndex)]
    }

    func testThePresetReferenceNamesEveryLayer() throws {
        let reference = try block(try readme(), from: "network:                           # a list of layers")
        for name in LayerRegistry.names {
            XCTAssertTrue(reference.contains(name), "README's network reference does not mention \(name)")
        }
    }

    func testTheSolverTableListsEverySolverAndHyperparameter() throws {
        let table = try block(try readme(), from: "| solver | hyperparameters (defaults) |")
        let rows = table.split(separator: "\n")
        for d in SolverRegistry.all {
            let row = try XCTUnwrap(rows.first { $0.hasPrefix("| `\(d.kind)` |") }, "no row for \(d.kind)")
            for key in d.schema.keys {
                XCTAssertTrue(row.contains("`\(key)`"), "README's row for \(d.kind) does not list \(key)")
            }
        }
    }
}
