import BPGradDashboard
import BPGradEngine
import XCTest

final class ScreenTests: XCTestCase {
    private func render(_ w: Int, _ h: Int) -> Grid { render(sampleSnapshot(), DashboardState(), w, h) }

    private func render(_ snap: SessionSnapshot, _ state: DashboardState, _ w: Int, _ h: Int) -> Grid {
        DashboardView(snapshot: snap, info: sampleInfo, state: state).render(width: w, height: h)
    }

    func testWholeScreenAt80x24() {
        assertSnapshot(render(80, 24), named: "screen-80x24", styles: true)
    }

    func testWholeScreenAt160x48() {
        assertSnapshot(render(160, 48), named: "screen-160x48", styles: true)
    }

    /// Eight configurations at 80x24: every legend that cannot list them all says how many it left out.
    func testEightConfigurationsStayReadableAt80x24() {
        let snap = sampleSnapshot(steps: 200, "bpgrad, bpgrad:L=5, bpgrad:L=50, adam, adam:lr=3e-4, sgd, rmsprop, adagrad")
        let g = render(snap, DashboardState(), 80, 24)
        assertSnapshot(g, named: "screen-8-configurations-80x24", styles: true)
        XCTAssertTrue(g.description.contains("more"), "a legend says how many names it left out")
        XCTAssertTrue(g.description.contains("+"), "the table says how many rows it left out")
    }

    func testHelpOverlayListsEveryKeyAndFitsAt80x24() {
        var state = DashboardState()
        state.showHelp = true
        for (w, h) in [(120, 40), (80, 24)] {
            let text = render(sampleSnapshot(), state, w, h).description
            for (key, _) in HelpText.keys { XCTAssertTrue(text.contains(key), "help at \(w)x\(h) lacks \(key)") }
        }
        assertSnapshot(render(sampleSnapshot(), state, 80, 24), named: "help-80x24", styles: true)
    }

    func testPickerWrapsAt80x24() {
        var state = DashboardState()
        state.picker = .init(entries: [
            PresetLibrary.Entry(name: "fashion-mnist-lenet", description: "LeNet-5 on Fashion-MNIST: two convolutions with max pooling, three dense layers; the network the paper's small experiments use", location: .file("/p/a.yaml")),
            PresetLibrary.Entry(name: "spirals", description: "three interleaved spiral arms, a small tanh network", location: .file("/p/b.yaml")),
        ], selection: 1)
        let g = render(sampleSnapshot(), state, 80, 24)
        XCTAssertTrue(g.description.contains("the network the paper's small"), "long descriptions wrap instead of being cut")
        XCTAssertTrue(g.description.contains("spirals (running)"))
    }

    func testTooSmall() {
        let g = render(sampleSnapshot(), DashboardState(), 60, 20)
        XCTAssertTrue(g.description.contains("terminal too small: need 80x24, have 60x20"))
        for (w, h) in [(0, 0), (1, 1), (2, 2), (10, 3), (79, 24), (80, 23)] {
            let tiny = render(sampleSnapshot(steps: 3), DashboardState(), w, h)
            // Tiny and empty sizes must not trap, and whatever fits of the message is shown.
            XCTAssertEqual(tiny.lines.count, h)
            if w > 0 && h > 0 {
                XCTAssertTrue(tiny.description.contains { $0 != " " && $0 != "\n" }, "\(w)x\(h) shows part of the message")
            }
            if w >= 20 && h >= 1 { XCTAssertTrue(tiny.description.contains("too small")) }
        }
    }

    func testLogScaleSmoothingZoomAndAxesRender() {
        var state = DashboardState()
        state.logScale = true
        state.smoothingIndex = 2
        state.zoom = .last100
        state.xAxis = .epoch
        state.fourthChart = .gradNorm
        let text = render(sampleSnapshot(), state, 160, 48).description
        XCTAssertTrue(text.contains("loss (log)"))
        XCTAssertTrue(text.contains("gradient norm"))
        XCTAssertTrue(text.contains("epoch"), "the x unit is written on the axis")
        XCTAssertTrue(text.contains("last 100"))
        state.xAxis = .time
        let timed = render(sampleSnapshot(), state, 160, 48).description
        XCTAssertTrue(timed.contains("time"))
        XCTAssertTrue(timed.contains("0:02"), "training-time axis labels")
    }

    /// A change made early in a long run is still marked at its end and listed with its values.
    func testMarkersSurviveLongRuns() {
        var snap = sampleSnapshot(steps: 100_000)
        let change = SessionEvent(step: 16_169, wallMilliseconds: 0, solver: "bpgrad", kind: .set, detail: "lipschitz 10 -> 50",
                                  change: HyperChange(key: "lipschitz", old: .number(10), new: .number(50)))
        snap.markers = [change]
        snap.events = []
        let g = render(snap, DashboardState(), 160, 48)
        XCTAssertTrue(g.description.contains("1 L 10→50 @16169"), "the change is listed with its values")
        // The loss chart's plot spans the whole run; the marker's column holds yellow dots.
        let markerColumns = (0..<g.width).filter { x in (3..<20).contains { y in g[x, y].style.fg == Palette.marker } }
        XCTAssertFalse(markerColumns.isEmpty, "the marker is drawn at the end of a 100,000-step run")
    }

    func testHiddenConfigurationLeavesLegendsAndCharts() {
        var state = DashboardState()
        state.hidden = ["adam"]
        let g = render(sampleSnapshot(), state, 160, 48)
        let legendRows = g.lines.filter { $0.contains("╭ loss") }
        XCTAssertTrue(legendRows.allSatisfy { !$0.contains("Adam") }, "Adam is gone from the loss legend")
        XCTAssertFalse((0..<g.width).contains { x in (3..<20).contains { y in g[x, y].style.fg == Palette.color(forConfiguration: 1) && g[x, y].symbol != "■" && g[x, y].symbol.unicodeScalars.first!.value >= 0x2800 && g[x, y].symbol.unicodeScalars.first!.value <= 0x28FF } },
                       "no braille in Adam's colour")
        XCTAssertTrue(g.description.contains("2 Adam (hidden)"), "the panel says it is hidden")
    }

    func testCursorReadoutGivesEveryVisibleValue() {
        var state = DashboardState()
        state.cursor = 200
        let g = render(sampleSnapshot(), state, 160, 48)
        let readouts = g.lines.filter { $0.contains("@200") }
        XCTAssertEqual(readouts.map { $0.components(separatedBy: "@200").count - 1 }.reduce(0, +), 4, "one readout per chart")
        XCTAssertTrue(readouts[0].contains("@200 ■"), readouts[0])
        assertSnapshot(render(sampleSnapshot(), state, 100, 30), named: "cursor-100x30", styles: true)
    }

    func testRadiusPanelShowsStepAndWarnsWhenTheEstimateExceedsL() {
        let g = render(sampleSnapshot(), DashboardState(), 160, 48)
        XCTAssertTrue(g.description.contains("■L 10 est 12.5 > L! med 3.25"), g.description)
        XCTAssertTrue(g.description.contains("r solid, step ‖Δx‖ faint"))
        let warn = g.lines.firstIndex { $0.contains("> L!") }!
        let x = g.lines[warn].distance(from: g.lines[warn].startIndex, to: g.lines[warn].range(of: "> L!")!.lowerBound)
        XCTAssertEqual(g[x, warn].style.fg, Palette.danger, "the warning is in the danger colour")
    }

    func testEditorErrorIsShownInline() {
        var state = DashboardState()
        state.editor = DashboardState.Editor(text: "abc", error: "'abc' is not a number (expected > 0)")
        let text = render(sampleSnapshot(), state, 160, 48).description
        XCTAssertTrue(text.contains("[abc"))
        XCTAssertTrue(text.contains("! 'abc' is not a number"), "an inline marker under the value")
        XCTAssertTrue(text.contains("'abc' is not a number (expected > 0) · type a new value · Esc cancels"), "the whole message in the footer")
    }

    func testAlertsReachTheFooter() {
        var snap = sampleSnapshot()
        snap.alerts = ["runs/x/bpgrad.csv: cannot be written (No space left on device)"]
        let g = render(snap, DashboardState(), 120, 30)
        XCTAssertTrue(g.lines.last!.contains("! runs/x/bpgrad.csv: cannot be written (No space left on device)"))
    }

    func testHeaderShowsSpeedLengthAndTrainingClock() {
        var snap = sampleSnapshot(steps: 1200)
        snap.elapsedSeconds = 75
        var state = DashboardState()
        state.speed = 10
        let g = render(snap, state, 160, 48)
        XCTAssertTrue(g.lines[1].contains("step 1200 · past the preset's 1000"), g.lines[1])
        XCTAssertTrue(g.lines[1].contains("⏱ 1:15"))
        XCTAssertTrue(g.lines[1].contains("10 steps/s"))
    }
}

final class BoundaryViewTests: XCTestCase {
    func testBoundaryPanelsReplaceTheCharts() {
        var snap = sampleSnapshot()
        let request = DecisionBoundary.Request(x: -1...1, y: -1...1, width: 4, height: 2)
        // Left half class 0, right half class 1: logits favour the class by 3.
        let logits: [Float] = [3, 0, 3, 0, 0, 3, 0, 3, 3, 0, 3, 0, 0, 3, 0, 3]
        snap.configurations[0].boundary = DecisionBoundary(request: request, logits: logits, classCount: 2, step: 400)
        var info = sampleInfo
        info.plane = .init(points: [SIMD2(-0.5, 0.5), SIMD2(0.5, -0.5), SIMD2(0.6, 0.5)], labels: [0, 1, 0], classes: 2, x: -1...1, y: -1...1)
        var state = DashboardState()
        XCTAssertEqual(state.handle(.character("b"), snapshot: snap, info: sampleInfo, presets: { [] }), [])
        XCTAssertFalse(state.showBoundaries)
        XCTAssertNotNil(state.message)
        _ = state.handle(.character("b"), snapshot: snap, info: info, presets: { [] })
        XCTAssertTrue(state.showBoundaries)
        let g = DashboardView(snapshot: snap, info: info, state: state).render(width: 100, height: 30)
        XCTAssertTrue(g.description.contains("BPGrad L=10 · step 400"), g.description)
        XCTAssertTrue(g.description.contains("Adam"))
        XCTAssertTrue(g.description.contains("computing..."), "Adam has no boundary yet")
        // Left and right of BPGrad's panel take the two classes' colours.
        let left = g[3, 10].style.fg, right = g[40, 10].style.fg
        XCTAssertNotEqual(left, right)
        XCTAssertEqual(g.lines.filter { $0.contains("•") }.count, 3, "the correctly classified points, and the class key")
        XCTAssertEqual(g.lines.filter { $0.contains("×") }.count, 2, "the point on the wrong side is a cross, and the key counts it")
        XCTAssertTrue(g.description.contains("× wrong 1/3"))
    }
}
