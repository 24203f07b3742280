import BPGradDashboard
import BPGradEngine
import XCTest

final class KeyHandlingTests: XCTestCase {
    let snapshot = sampleSnapshot()

    private func press(_ keys: [Key], _ state: inout DashboardState, snapshot: SessionSnapshot? = nil,
                       presets: [PresetLibrary.Entry] = []) -> [Effect] {
        keys.flatMap { state.handle($0, snapshot: snapshot ?? self.snapshot, info: sampleInfo, presets: { presets }) }
    }

    private func slot(_ name: HyperKey, configuration: Int = 0) -> Int {
        snapshot.parameterSlots.firstIndex(of: ParameterSlot(configuration: configuration, key: name))!
    }

    func testQuitPauseStepRestart() {
        var s = DashboardState()
        XCTAssertEqual(press([.character("q")], &s), [.quit])
        XCTAssertEqual(press([.interrupt], &s), [.quit])
        XCTAssertEqual(press([.character("n")], &s), [], "n does nothing while running")
        XCTAssertNotNil(s.message)
        XCTAssertEqual(press([.character(" ")], &s), [.session(.pause, configuration: nil)], "space pauses while anything runs")
        var paused = snapshot
        for i in paused.configurations.indices { paused.configurations[i].status = .paused }
        XCTAssertEqual(press([.character(" ")], &s, snapshot: paused), [.session(.resume, configuration: nil)], "and resumes when all are paused")
        XCTAssertEqual(press([.character("n")], &s, snapshot: paused), [.session(.singleStep, configuration: nil)])
        XCTAssertEqual(press([.character("r")], &s), [.restart])
        XCTAssertEqual(press([.character("e")], &s), [.export])
    }

    /// Left and right send relative steps, so every press counts however fast they come.
    func testArrowsSelectAndNudgeHyperparameters() {
        var s = DashboardState()
        XCTAssertEqual(snapshot.parameterSlots[0].key, "lipschitz")
        XCTAssertEqual(press(Array(repeating: .right, count: 3), &s), Array(repeating: .session(.nudge("lipschitz", up: true), configuration: 0), count: 3))
        XCTAssertEqual(press([.left], &s), [.session(.nudge("lipschitz", up: false), configuration: 0)])
        _ = press([.down], &s)
        XCTAssertEqual(press([.left], &s), [.session(.nudge("momentum", up: false), configuration: 0)])
        XCTAssertEqual(press([.up, .up], &s).count, 0)
        XCTAssertEqual(s.selectedParameter, snapshot.parameterSlots.count - 1, "up from the top wraps to the bottom")
        XCTAssertEqual(press([.right], &s), [.session(.nudge("weight_decay", up: true), configuration: 1)])
    }

    /// The stepping itself (the worker applies it): ×1.25, ±0.05, clamped, choices cycle.
    func testNudgeSteppingAndClamping() throws {
        let bp = BPGrad.schema, adam = Adam.schema
        XCTAssertEqual(try bp.info("lipschitz").nudged(.number(10), up: true), .number(12.5))
        XCTAssertEqual(try bp.info("lipschitz").nudged(.number(10), up: false), .number(8))
        XCTAssertEqual(try bp.info("momentum").nudged(.number(0.9), up: false), .number(0.85))
        XCTAssertNil(try adam.info("beta2").nudged(.number(0.999), up: true), "beta2 cannot leave [0, 1)")
        XCTAssertEqual(try bp.info("rho").nudged(.number(0.1), up: false), .number(0.05))
        XCTAssertEqual(try bp.info("eta_placement").nudged(.choice("paper"), up: true), .choice("reference"))
        XCTAssertEqual(try adam.info("weight_decay").nudged(.number(0), up: true), .number(1e-4))
    }

    /// The editor opens on the value in force, selected: typing replaces it (50 on L = 10 is
    /// 50, not 1050), as in any form.
    func testTypedValueReplacesTheOldOne() {
        var s = DashboardState()
        XCTAssertEqual(press([.enter], &s), [])
        XCTAssertEqual(s.editor, DashboardState.Editor(text: "10", selected: true))
        XCTAssertEqual(press([.character("5"), .character("0")], &s), [])
        XCTAssertEqual(s.editor?.text, "50")
        XCTAssertEqual(press([.enter], &s), [.session(.setText("lipschitz", "50"), configuration: 0)])
        XCTAssertNil(s.editor)
        // Right keeps the old value to edit at its end; Backspace on the selection clears it.
        _ = press([.enter, .right, .character("5")], &s)
        XCTAssertEqual(s.editor?.text, "105")
        _ = press([.escape, .enter, .backspace, .character("7")], &s)
        XCTAssertEqual(s.editor?.text, "7")
        XCTAssertEqual(press([.escape], &s), [], "Esc cancels: nothing is sent")
        XCTAssertNil(s.editor)
    }

    /// A value out of range is refused in place, with the range, and nothing is sent; the
    /// refused text stays selected so the next value replaces it.
    func testAnOutOfRangeValueIsRefusedInPlace() {
        var s = DashboardState()
        XCTAssertEqual(press([.enter, .character("-"), .character("3"), .enter], &s), [])
        XCTAssertEqual(s.editor?.error, "invalid value -3 (must be > 0)")
        XCTAssertEqual(s.editor?.selected, true)
        XCTAssertEqual(press([.character("2"), .character("5"), .enter], &s),
                       [.session(.setText("lipschitz", "25"), configuration: 0)])
        XCTAssertNil(s.editor)
        XCTAssertEqual(press([.enter, .character("x"), .enter], &s), [])
        XCTAssertNotNil(s.editor?.error)
        _ = press([.escape], &s)
        XCTAssertNil(s.editor)
    }

    /// While frozen, keys that point at something on screen act on the frozen snapshot: a
    /// fork that arrived since (a third configuration, more parameter rows) moves nothing.
    func testKeysActOnTheFrozenSnapshot() {
        var s = DashboardState()
        let before = sampleSnapshot(), after = sampleSnapshot(steps: 400, "bpgrad:lipschitz=10, adam, bpgrad:lipschitz=20")
        _ = press([.character("f")], &s, snapshot: before)
        XCTAssertEqual(s.frozen?.configurations.count, 2)
        _ = press([.up], &s, snapshot: after)
        XCTAssertEqual(s.selectedParameter, before.parameterSlots.count - 1, "the selection wraps to the last row on screen")
        _ = press([.character("3")], &s, snapshot: after)
        XCTAssertEqual(s.hidden, [], "there is no configuration 3 on screen")
        XCTAssertEqual(s.message, "there is no configuration 3 (2 in this session)")
        // Training keys read the live state: space pauses the third configuration too.
        XCTAssertEqual(press([.character(" ")], &s, snapshot: after), [.session(.pause, configuration: nil)])
        _ = press([.character("f"), .character("3")], &s, snapshot: after)
        XCTAssertNil(s.frozen)
        XCTAssertEqual(s.hidden, [after.configurations[2].name])
    }

    /// The header shows the cap in force (--speed 300 is 300, not the level below it), and
    /// + and - move to the next level above or below it.
    func testSpeedCapShownAsGivenAndSteppedFromIt() {
        var s = DashboardState()
        s.speed = 300
        XCTAssertEqual(s.speedLabel, "300 steps/s")
        XCTAssertEqual(press([.character("+")], &s), [.session(.limitSpeed(1000), configuration: nil)])
        XCTAssertEqual(press([.character("+")], &s), [.session(.limitSpeed(nil), configuration: nil)])
        XCTAssertEqual(s.speedLabel, "full speed")
        XCTAssertEqual(press([.character("+")], &s), [], "nothing is faster than full speed")
        s.speed = 300
        XCTAssertEqual(press([.character("-")], &s), [.session(.limitSpeed(100), configuration: nil)])
        _ = press([.character("-"), .character("-")], &s)
        XCTAssertEqual(s.speed, 1)
        XCTAssertEqual(press([.character("-")], &s), [], "1 step/s is the slowest level")
        s.speed = 0.5
        XCTAssertEqual(press([.character("-")], &s), [])
        XCTAssertEqual(press([.character("+")], &s), [.session(.limitSpeed(1), configuration: nil)])
    }

    func testViewToggles() {
        var s = DashboardState()
        XCTAssertEqual(s.smoothing, 0.6, "minibatch loss is smoothed by default, as TensorBoard does")
        _ = press([.character("l"), .character("s"), .character("x"), .character("z"), .character("g"), .character("f")], &s)
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

    func testSpeedControl() {
        var s = DashboardState()
        XCTAssertNil(s.speed)
        XCTAssertEqual(press([.character("-")], &s), [.session(.limitSpeed(1000), configuration: nil)])
        XCTAssertEqual(press([.character("-"), .character("-")], &s).last, .session(.limitSpeed(10), configuration: nil))
        XCTAssertEqual(press([.character("-"), .character("-")], &s), [.session(.limitSpeed(1), configuration: nil)], "1 step/s is the slowest")
        XCTAssertEqual(press([.character("+")], &s), [.session(.limitSpeed(10), configuration: nil)])
        XCTAssertEqual(s.speedLabel, "10 steps/s")
    }

    func testLengthAndEvaluationToggles() {
        var s = DashboardState()
        XCTAssertEqual(press([.character("t")], &s), [.session(.stopAtLength(true), configuration: nil)])
        XCTAssertEqual(press([.character("t")], &s), [.session(.stopAtLength(false), configuration: nil)])
        XCTAssertEqual(press([.character("a")], &s), [.session(.pauseOnEvaluation(true), configuration: nil)])
    }

    func testHideAndShowConfigurations() {
        var s = DashboardState()
        _ = press([.character("2")], &s)
        XCTAssertEqual(s.hidden, ["adam"])
        _ = press([.character("1"), .character("2")], &s)
        XCTAssertEqual(s.hidden, ["bpgrad"])
        _ = press([.character("0")], &s)
        XCTAssertEqual(s.hidden, [])
        _ = press([.character("7")], &s)
        XCTAssertEqual(s.hidden, [])
        XCTAssertEqual(s.message, "there is no configuration 7 (2 in this session)")
    }

    func testCursorMovesWithinTheRun() {
        var s = DashboardState()
        _ = press([.character("c")], &s)
        XCTAssertEqual(s.cursor, 400, "the cursor starts at the newest step")
        _ = press([.character(",")], &s)
        XCTAssertEqual(s.cursor, 396, "1% of steps 1...400 back")
        _ = press([.character("<")], &s)
        XCTAssertEqual(s.cursor!, 356, accuracy: 0.5)
        _ = press(Array(repeating: .character("<"), count: 20), &s)
        XCTAssertEqual(s.cursor, 1, "clamped to the data")
        _ = press([.character("c")], &s)
        XCTAssertNil(s.cursor)
    }

    func testForkTheSelectedConfiguration() {
        var s = DashboardState()
        s.selectedParameter = slot("lr", configuration: 1)
        XCTAssertEqual(press([.character("F")], &s), [.fork(1)])
        XCTAssertEqual(s.message, "forking Adam at step 400")
    }

    func testPresetPickerOpensOnTheCurrentPreset() {
        var s = DashboardState()
        let entries = [PresetLibrary.Entry(name: "moons", description: "A", location: .file("/p/moons.yaml")),
                       PresetLibrary.Entry(name: "spirals", description: "B", location: .file("/p/spirals.yaml")),
                       PresetLibrary.Entry(name: "xor", description: "C", location: .builtIn(name: "xor"))]
        XCTAssertEqual(press([.character("p")], &s, presets: entries), [])
        XCTAssertEqual(s.picker?.selection, 1, "the picker opens on the preset that runs")
        XCTAssertEqual(press([.down, .enter], &s, presets: entries), [.loadPreset(.builtIn(name: "xor"))])
        XCTAssertNil(s.picker)
        _ = press([.character("p"), .escape], &s, presets: entries)
        XCTAssertNil(s.picker)
    }
}
