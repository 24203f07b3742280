@testable import BPGradFigures
import BPGradDashboard
import BPGradEngine
import Foundation
import XCTest

/// `plot` and the export on hostile run directories and planted links (issue 20).
final class HostileFigureTests: XCTestCase {
    var root = ""

    override func setUp() {
        root = NSTemporaryDirectory() + "bpgrad-hostile-figures-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: root) }

    private func run(_ rows: [String], events: [String] = [], name: String = "run") -> String {
        let dir = "\(root)/\(name)"
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try! #"{"format": "bpgrad-run", "version": 1, "steps_per_epoch": 10, "configurations": [{"name": "adam", "kind": "adam", "label": "Adam"}]}"#
            .write(toFile: "\(dir)/run.json", atomically: true, encoding: .utf8)
        try! ([StepCSV.header] + rows).joined(separator: "\n").appending("\n").write(toFile: "\(dir)/adam.csv", atomically: true, encoding: .utf8)
        try! (["step,wall_ms,solver,event,detail"] + events).joined(separator: "\n").appending("\n")
            .write(toFile: "\(dir)/events.csv", atomically: true, encoding: .utf8)
        return dir
    }

    private func row(_ step: Int, loss: String, test: String = "", wall: String? = nil) -> String {
        "\(step),1,adam,\(loss),\(test),,0.01,,,,1,0.1,,,,,\(wall ?? String(step))"
    }

    /// Item 2: one loss of 1e308 and one of -1e308 (or in test_loss, or as a time) drew a NaN
    /// into an Int conversion.
    func testExtremeValuesRenderInEveryFormat() throws {
        let dir = run([row(1, loss: "1e308", test: "-1e308"), row(2, loss: "-1e308", test: "1e308"), row(3, loss: "0.5", wall: "1.7976931348623157e308"),
                       row(4, loss: "5e-324", wall: "1.7976931348623157e308")],
                      events: ["2,1e308,adam,set,lr 0.01 -> 0.02", "3,-1e308,adam,diverged,loss=nan"])
        for x in XAxis.allCases {
            for logY in [false, true] {
                for smoothing in [0, 0.9] {
                    let figure = try RunPlot(metric: .loss, xAxis: x, smoothing: smoothing, logY: logY).figure(directories: [dir])
                    for format in FigureFormat.allCases { XCTAssertFalse(try figure.render(format).isEmpty) }
                }
            }
        }
    }

    /// Item 4: a link planted at the temporary name is not written through.
    func testTemporaryFileIsNeverALinkFollowed() throws {
        let dir = run([row(1, loss: "0.5"), row(2, loss: "0.4")])
        let victim = "\(root)/victim"
        try "precious".write(toFile: victim, atomically: true, encoding: .utf8)
        let out = "\(root)/fig.svg"
        XCTAssertEqual(symlink(victim, out + ".tmp-\(getpid())"), 0)
        let figure = try RunPlot(metric: .loss).figure(directories: [dir])
        try figure.write(to: out)
        XCTAssertEqual(try String(contentsOfFile: victim, encoding: .utf8), "precious")
        XCTAssertTrue(try String(contentsOfFile: out, encoding: .utf8).contains("<svg"))
        // A link at the figure's own name is replaced, not followed, when overwriting is asked for.
        let linked = "\(root)/linked.svg"
        XCTAssertEqual(symlink(victim, linked), 0)
        try figure.write(to: linked, overwrite: true)
        XCTAssertEqual(try String(contentsOfFile: victim, encoding: .utf8), "precious")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.contains(".tmp") && !$0.hasSuffix("-\(getpid())") }
        XCTAssertEqual(leftovers, [])
    }

    /// Item 4: `plot --out` never overwrites a file (or a link) unless asked to.
    func testAnExistingOutputIsRefusedUnlessForced() throws {
        let dir = run([row(1, loss: "0.5"), row(2, loss: "0.4")])
        let out = "\(root)/fig.png"
        let figure = try RunPlot(metric: .loss).figure(directories: [dir])
        try figure.write(to: out, overwrite: false)
        XCTAssertThrowsError(try figure.write(to: out, overwrite: false)) { error in
            XCTAssertEqual("\(error)", "\(out): exists already, and plot does not overwrite a file unless --force is given. Choose another --out or add --force.")
        }
        XCTAssertThrowsError(try Figure.checkWritable(out, overwrite: false))
        XCTAssertNoThrow(try Figure.checkWritable(out, overwrite: true))
        try figure.write(to: out, overwrite: true)
    }

    /// Item 5: markers are bounded per kind, and the figure says how many were left out.
    func testMarkersAreBoundedAndTheRestCounted() throws {
        let events = (1...30_000).map { "\($0 % 3 + 1),\($0),adam,set,lr 0.01 -> 0.02" } + ["2,2,adam,diverged,loss=nan"]
        let dir = run([row(1, loss: "0.5"), row(2, loss: "0.4"), row(3, loss: "0.3")], events: events)
        let (figure, notes) = try RunPlot(metric: .loss).plot(directories: [dir])
        let markers = try XCTUnwrap(figure.panels.first?.markers)
        XCTAssertLessThanOrEqual(markers.count, RunPlot.markersPerKind + 1)
        XCTAssertEqual(markers.filter { $0.kind == .diverged }.count, 1, "a rare kind is never crowded out")
        XCTAssertTrue(notes.contains("\(dir): 30000 set markers, \(markers.count - 1) drawn (evenly spread over the run)"), "\(notes)")
    }

    /// Item 5: skipped rows are counted per file, and files that are not read are named.
    func testSkippedRowsAndRefusedFilesAreReported() throws {
        let dir = run([row(1, loss: "0.5"), row(2, loss: "x\u{1b}[2J"), row(2, loss: "0.3"), row(3, loss: "0.2", wall: "1")])
        try FileManager.default.removeItem(atPath: "\(dir)/events.csv")
        XCTAssertEqual(mkfifo("\(dir)/events.csv", 0o600), 0)
        let (_, notes) = try RunPlot(metric: .loss).plot(directories: [dir])
        XCTAssertEqual(notes, [
            "\(dir)/events.csv: is a named pipe (FIFO), not a regular file; it is not read",
            #"\#(dir)/adam.csv: 2 malformed rows skipped (the first: line 3: field 'loss' is 'x\x1b[2J', expected a number or an empty field)"#,
        ])
    }
}
