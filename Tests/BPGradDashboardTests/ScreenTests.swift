import BPGradDashboard
import BPGradEngine
import XCTest

final class ScreenTests: XCTestCase {
    func testWholeScreenAt80x24() {
        assertSnapshot(DashboardView(snapshot: sampleSnapshot(), info: sampleInfo, state: DashboardState()).render(width: 80, height: 24),
                       named: "screen-80x24")
    }

    func testWholeScreenAt160x48() {
        assertSnapshot(DashboardView(snapshot: sampleSnapshot(), info: sampleInfo, state: DashboardState()).render(width: 160, height: 48),
                       named: "screen-160x48")
    }

    func testHelpOverlayListsEveryKey() {
        var state = DashboardState()
        state.showHelp = true
        let text = DashboardView(snapshot: sampleSnapshot(), info: sampleInfo, state: state).render(width: 120, height: 40).description
        for (key, _) in HelpText.keys { XCTAssertTrue(text.contains(key), "help lacks \(key)") }
    }

    func testTooSmall() {
        let g = DashboardView(snapshot: sampleSnapshot(), info: sampleInfo, state: DashboardState()).render(width: 60, height: 20)
        XCTAssertTrue(g.description.contains("terminal too small: need 80x24, have 60x20"))
        for (w, h) in [(0, 0), (1, 1), (10, 3), (79, 24), (80, 23)] {
            let tiny = DashboardView(snapshot: sampleSnapshot(steps: 3), info: sampleInfo, state: DashboardState()).render(width: w, height: h)
            XCTAssertEqual(tiny.width, w)
        }
    }

    func testLogScaleSmoothingZoomAndAxesRender() {
        var state = DashboardState()
        state.logScale = true
        state.smoothingIndex = 2
        state.zoom = .last100
        state.xAxis = .epoch
        state.fourthChart = .gradNorm
        let text = DashboardView(snapshot: sampleSnapshot(), info: sampleInfo, state: state).render(width: 160, height: 48).description
        XCTAssertTrue(text.contains("loss (log)"))
        XCTAssertTrue(text.contains("gradient norm"))
        XCTAssertTrue(text.contains("ep 4"), "epoch axis labels")
        XCTAssertTrue(text.contains("last 100"))
        state.xAxis = .time
        let timed = DashboardView(snapshot: sampleSnapshot(), info: sampleInfo, state: state).render(width: 160, height: 48).description
        XCTAssertTrue(timed.contains("0:02"), "wall-time axis labels")
    }

    func testEditorErrorIsShownInline() {
        var state = DashboardState()
        state.editor = DashboardState.Editor(text: "abc", error: "bpgrad.lipschitz: 'abc' is not a number (expected > 0)")
        let text = DashboardView(snapshot: sampleSnapshot(), info: sampleInfo, state: state).render(width: 160, height: 48).description
        XCTAssertTrue(text.contains("[abc"))
        XCTAssertTrue(text.contains("! bpgrad.lipschitz"), "an inline marker under the value")
        XCTAssertTrue(text.contains("bpgrad.lipschitz: 'abc' is not a number (expected > 0) · Esc cancels"), "the whole message in the footer")
    }
}

final class BoundaryViewTests: XCTestCase {
    func testBoundaryPanelsReplaceTheCharts() {
        var snap = sampleSnapshot()
        let request = DecisionBoundary.Request(x: -1...1, y: -1...1, width: 4, height: 2)
        // Left half class 0, right half class 1: logits favour the class by 3.
        let logits: [Float] = [3, 0, 3, 0, 0, 3, 0, 3, 3, 0, 3, 0, 0, 3, 0, 3]
        snap.solvers[0].boundary = DecisionBoundary(request: request, logits: logits, classCount: 2, step: 400)
        var info = sampleInfo
        info.plane = .init(points: [SIMD2(-0.5, 0.5), SIMD2(0.5, -0.5)], labels: [0, 1], classes: 2, x: -1...1, y: -1...1)
        var state = DashboardState()
        XCTAssertEqual(state.handle(.character("b"), snapshot: snap, planar: false, presets: { [] }), [])
        XCTAssertFalse(state.showBoundaries)
        XCTAssertNotNil(state.message)
        _ = state.handle(.character("b"), snapshot: snap, planar: true, presets: { [] })
        XCTAssertTrue(state.showBoundaries)
        let g = DashboardView(snapshot: snap, info: info, state: state).render(width: 100, height: 30)
        XCTAssertTrue(g.description.contains("BPGrad · step 400"))
        XCTAssertTrue(g.description.contains("Adam"))
        XCTAssertTrue(g.description.contains("computing..."), "Adam has no boundary yet")
        // Left and right of BPGrad's panel take the two classes' colours.
        let left = g[3, 10].style.fg, right = g[40, 10].style.fg
        XCTAssertNotEqual(left, right)
        XCTAssertEqual(g.lines.filter { $0.contains("•") }.count, 2, "both training points are drawn")
    }
}
