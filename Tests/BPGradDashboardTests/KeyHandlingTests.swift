import BPGradDashboard
import BPGradEngine
import XCTest

final class KeyHandlingTests: XCTestCase {
    let snapshot = sampleSnapshot()

    private func press(_ keys: [Key], _ state: inout DashboardState, presets: [PresetLibrary.Entry] = []) -> [Effect] {
        keys.flatMap { state.handle($0, snapshot: snapshot, presets: { presets }) }
    }

    private func slot(_ name: String, solver: Int = 0) -> Int {
        snapshot.parameterSlots.firstIndex(of: ParameterSlot(solver: solver, name: name))!
    }

    func testQuitPauseStepRestart() {
        var s = DashboardState()
        XCTAssertEqual(press([.character("q")], &s), [.quit])
        XCTAssertEqual(press([.interrupt], &s), [.quit])
        XCTAssertEqual(press([.character("n")], &s), [], "n does nothing while running")
        XCTAssertNotNil(s.message)
        XCTAssertEqual(press([.character(" ")], &s), [.session(.pause, solver: nil)])
        XCTAssertEqual(press([.character("n")], &s), [.session(.singleStep, solver: nil)])
        XCTAssertEqual(press([.character(" ")], &s), [.session(.resume, solver: nil)])
        XCTAssertEqual(press([.character("r")], &s), [.session(.restart, solver: nil)])
        XCTAssertEqual(press([.character("e")], &s), [.export])
    }

    func testArrowsSelectAndChangeHyperparameters() {
        var s = DashboardState()
        XCTAssertEqual(snapshot.parameterSlots[0].name, "lipschitz")
        XCTAssertEqual(press([.right], &s), [.session(.set(name: "lipschitz", value: .number(12.5)), solver: 0)])
        XCTAssertEqual(press([.left], &s), [.session(.set(name: "lipschitz", value: .number(8)), solver: 0)])
        _ = press([.down], &s)
        XCTAssertEqual(press([.left], &s), [.session(.set(name: "momentum", value: .number(0.85)), solver: 0)])
        XCTAssertEqual(press([.up, .up], &s).count, 0)
        XCTAssertEqual(s.selectedParameter, snapshot.parameterSlots.count - 1, "up from the top wraps to the bottom")
    }

    func testAdditiveStepsClampToTheValidRange() {
        var s = DashboardState()
        s.selectedParameter = slot("beta2", solver: 1)
        // beta2 = 0.999: one step up would leave [0, 1); it stays just inside.
        XCTAssertEqual(press([.right], &s), [])
        s.selectedParameter = slot("rho")
        XCTAssertEqual(press([.left], &s), [.session(.set(name: "rho", value: .number(0.05)), solver: 0)])
        s.selectedParameter = slot("eta_placement")
        XCTAssertEqual(press([.right], &s), [.session(.set(name: "eta_placement", value: .choice("reference")), solver: 0)])
        s.selectedParameter = slot("weight_decay", solver: 1)
        XCTAssertEqual(press([.right], &s), [.session(.set(name: "weight_decay", value: .number(1e-4)), solver: 1)])
    }

    func testTypingAnExactValue() {
        var s = DashboardState()
        XCTAssertEqual(press([.enter], &s), [])
        XCTAssertEqual(s.editor?.text, "10")
        XCTAssertEqual(press([.backspace, .backspace, .character("-"), .character("3"), .enter], &s), [])
        XCTAssertEqual(s.editor?.error, "bpgrad.lipschitz: invalid value -3 (must be > 0)", "a bad value changes nothing")
        XCTAssertEqual(press([.backspace, .backspace, .character("2"), .character("5"), .enter], &s),
                       [.session(.set(name: "lipschitz", value: .number(25)), solver: 0)])
        XCTAssertNil(s.editor)
        _ = press([.enter, .character("x"), .escape], &s)
        XCTAssertNil(s.editor)
    }

    func testViewToggles() {
        var s = DashboardState()
        _ = press([.character("l"), .character("s"), .character("s"), .character("x"), .character("z"), .character("g"), .character("f")], &s)
        XCTAssertTrue(s.logScale)
        XCTAssertEqual(s.smoothing, 0.9)
        XCTAssertEqual(s.xAxis, .epoch)
        XCTAssertEqual(s.zoom, .last1000)
        XCTAssertEqual(s.fourthChart, .gradNorm)
        XCTAssertNotNil(s.frozen)
        _ = press([.character("f"), .character("?")], &s)
        XCTAssertNil(s.frozen)
        XCTAssertTrue(s.showHelp)
        XCTAssertEqual(press([.right], &s), [], "keys other than ?, Esc and q are inert under the help")
        _ = press([.escape], &s)
        XCTAssertFalse(s.showHelp)
    }

    func testPresetPicker() {
        var s = DashboardState()
        let entries = [PresetLibrary.Entry(name: "a", description: "A", path: "/p/a.yaml"),
                       PresetLibrary.Entry(name: "b", description: "B", path: "/p/b.yaml")]
        XCTAssertEqual(press([.character("p"), .down], &s, presets: entries), [])
        XCTAssertEqual(press([.enter], &s, presets: entries), [.loadPreset(path: "/p/b.yaml")])
        XCTAssertNil(s.picker)
        _ = press([.character("p"), .escape], &s, presets: entries)
        XCTAssertNil(s.picker)
    }
}
