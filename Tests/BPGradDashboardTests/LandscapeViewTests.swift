import BPGradDashboard
import BPGradEngine
import XCTest

final class LandscapeViewTests: XCTestCase {
    private func model(path: [SIMD2<Double>] = [SIMD2(-4, -4), SIMD2(-1, -2), SIMD2(2, 1), SIMD2(3, 2)],
                       pruned: @escaping @Sendable (SIMD2<Double>) -> Bool = { _ in false }) -> LandscapeModel {
        let f = TestFunction.himmelblau
        var hyper = Hyperparameters(schema: BranchAndPruneSettings.schema)
        try? hyper.set("lipschitz", .number(40))
        let track = LandscapeModel.Track(kind: BranchAndPruneSettings.kind, name: "BPGrad-BP", path: path,
                                         fNow: 0.5, best: 0.5, distance: 0.01, steps: path.count - 1, finished: nil, prunedFraction: 0.25, hyper: hyper)
        return LandscapeModel(functionName: f.rawValue, function: f, minima: f.minima, tracks: [track], isPruned: pruned, stepLimit: 500)
    }

    func testHeatmapTrajectoryAndMinimaAt80x24() {
        assertSnapshot(LandscapeView(model: model(), state: LandscapeState()).render(width: 80, height: 24), named: "landscape-80x24", styles: true)
    }

    /// The path is a connected trail: the cells between two far-apart points are filled.
    func testTrajectoryIsConnected() {
        let g = LandscapeView(model: model(path: [SIMD2(-4, 0), SIMD2(4, 0), SIMD2(4.2, 0)]), state: LandscapeState()).render(width: 80, height: 24)
        let row = g.lines.first { $0.contains("•") }!
        XCTAssertGreaterThan(row.filter { $0 == "·" }.count, 20, "dots fill the way between the points:\n\(g.description)")
    }

    func testColourKeyAndLeftDomain() {
        let g = LandscapeView(model: model(path: [SIMD2(0, 0), SIMD2(9, 9)]), state: LandscapeState()).render(width: 80, height: 24)
        XCTAssertTrue(g.description.contains("f 0 ████"), "a colour key for f")
        XCTAssertTrue(g.description.contains("left the domain at step 1"))
        XCTAssertTrue(g.description.contains("⊗"), "marked at the edge")
    }

    func testPrunedPixelsAreGrey() {
        var g = Grid(width: 10, height: 4)
        Heatmap(function: TestFunction.rastrigin, isPruned: { $0.x < 0 }).render(into: &g, area: g.area)
        let greys = Set((233...246).map { Color.indexed(UInt8($0)) })
        XCTAssertTrue(greys.contains(g[0, 0].style.fg), "left half (x < 0) is pruned")
        XCTAssertFalse(greys.contains(g[9, 0].style.fg), "right half is not")
        XCTAssertEqual(g[5, 2].symbol, "▀")
    }

    func testCursorAndKeys() {
        var s = LandscapeState()
        let m = model()
        XCTAssertEqual(s.handle(.character("c"), model: m), [])
        XCTAssertEqual(s.cursor, SIMD2(-4, -4))
        _ = s.handle(.right, model: m); _ = s.handle(.up, model: m)
        let g = LandscapeView(model: m, state: s).render(width: 80, height: 24)
        XCTAssertTrue(g.description.contains("start x -3.75, y -3.5"), "the cursor shows where the start would be")
        XCTAssertEqual(s.handle(.enter, model: m), [.restart(start: SIMD2(-3.75, -3.5))])
        XCTAssertNil(s.cursor)
        XCTAssertEqual(s.handle(.right, model: m), [.set(solver: 0, key: "lipschitz", value: .number(50))])
        XCTAssertEqual(s.handle(.character("t"), model: m), [.nextFunction])
        _ = s.handle(.character("+"), model: m)
        XCTAssertEqual(s.stepsPerFrame, 2)
        XCTAssertEqual(s.handle(.character("q"), model: m), [.quit])
    }
}
