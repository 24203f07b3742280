@testable import BPGradDashboard
import BPGradEngine
import XCTest

final class LabelFitTests: XCTestCase {
    func testLabelsThatFitAreWhole() {
        XCTAssertEqual(LabelFit.fit(["BPGrad", "Adam"], width: 6), ["BPGrad", "Adam"])
    }

    /// A sweep's labels differ at the end: the shared start is shortened, never the end, so
    /// mu 0.5 and mu 0.9 stay apart (cut at 14 both read "BPGrad L=20 mu").
    func testTheSharedPartIsShortened() {
        let labels = ["BPGrad L=20 mu=0.5 rho=0.1", "BPGrad L=20 mu=0.9 rho=0.1", "Adam"]
        let fitted = LabelFit.fit(labels, width: 14)
        XCTAssertEqual(fitted[2], "Adam")
        XCTAssertTrue(fitted.allSatisfy { $0.count <= 14 }, "\(fitted)")
        XCTAssertEqual(Set(fitted).count, 3, "\(fitted)")
        XCTAssertEqual(fitted[0], "BPGr…5 rho=0.1")
        XCTAssertEqual(fitted[1], "BPGr…9 rho=0.1")
        XCTAssertTrue(fitted[0].hasPrefix("B") && fitted[0].contains("…"), "\(fitted)")
    }

    /// Labels that differ in the middle keep their start and end: still all different.
    func testNoTwoReadTheSameAtAnyWidth() {
        let labels = ["sweepL/BPGrad L=1 rho=0.1 tail", "sweepL/BPGrad L=2 rho=0.1 tail", "sweepL/BPGrad L=3 rho=0.1 tail",
                      "short", "another long label with its own words"]
        for width in 3...40 {
            let fitted = LabelFit.fit(labels, width: width)
            XCTAssertTrue(fitted.allSatisfy { $0.count <= width }, "width \(width): \(fitted)")
            XCTAssertEqual(Set(fitted).count, labels.count, "width \(width): \(fitted)")
        }
    }

    /// The dashboard's table widens its label column to the longest label where there is room.
    func testTheTableShowsLongLabelsWhole() {
        let snap = sampleSnapshot(steps: 50, "bpgrad:lipschitz=20:momentum=0.5@BPGrad L=20 mu=0.5 rho=0.1, bpgrad:lipschitz=20:momentum=0.9@BPGrad L=20 mu=0.9 rho=0.1")
        var wide = Grid(width: 140, height: 4)
        ConfigurationTable(snapshot: snap, hidden: []).render(into: &wide, area: Rect(x: 0, y: 0, width: 140, height: 4))
        XCTAssertTrue(wide.description.contains("BPGrad L=20 mu=0.5 rho=0.1"), wide.description)
        var narrow = Grid(width: 80, height: 4)
        ConfigurationTable(snapshot: snap, hidden: []).render(into: &narrow, area: Rect(x: 0, y: 0, width: 80, height: 4))
        let rows = narrow.lines.dropFirst().prefix(2).map { String($0.dropFirst(3).prefix(14)) }
        XCTAssertEqual(Set(rows).count, 2, "\(rows)")
    }

    /// The parameter panel fits its configuration headers the same way.
    func testThePanelKeepsSweepLabelsApart() {
        let snap = sampleSnapshot(steps: 50, "bpgrad:momentum=0.5@BPGrad L=20 mu=0.5 rho=0.1 sweep, bpgrad:momentum=0.9@BPGrad L=20 mu=0.9 rho=0.1 sweep")
        var grid = Grid(width: 30, height: 30)
        ParameterPanel(snapshot: snap, selected: 0, editor: nil, hidden: [], changes: [])
            .render(into: &grid, area: Rect(x: 0, y: 0, width: 30, height: 30))
        let headers = grid.lines.filter { $0.contains("1 BPGr") || $0.contains("2 BPGr") }
        XCTAssertEqual(headers.count, 2, grid.description)
        XCTAssertNotEqual(headers[safe: 0], headers[safe: 1])
        XCTAssertTrue(grid.description.contains("…5 rho=0.1 sweep") && grid.description.contains("…9 rho=0.1 sweep"), grid.description)
    }
}
