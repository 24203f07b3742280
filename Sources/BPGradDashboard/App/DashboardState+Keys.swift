import BPGradEngine
import Foundation

extension DashboardState {
    /// Applies one key to the UI state and returns what the outside world should do.
    /// `presets` is asked only when the picker opens.
    ///
    /// `live` is the store's snapshot now. Keys that move or pick something on screen (the
    /// parameter selection, the editor, hiding, the cursor, forking the selected row) act on the
    /// snapshot that is drawn, the frozen one while the display is frozen, so that what they
    /// point at is what the user sees; keys about the training itself (space, n, the
    /// configuration limit) read the live state.
    public mutating func handle(_ key: Key, snapshot live: SessionSnapshot, info: DashboardInfo,
                                presets: () -> [PresetLibrary.Entry]) -> [Effect] {
        if key == .interrupt { return [.quit] }
        let snapshot = frozen ?? live
        if editor != nil { return handleEditor(key, snapshot: snapshot) }
        if picker != nil { return handlePicker(key) }
        if showHelp {
            switch key {
            case .character("q"): return [.quit]
            case .character("?"), .escape, .enter: showHelp = false
            default: break
            }
            return []
        }
        message = nil
        let slots = snapshot.parameterSlots
        switch key {
        case .character("q"): return [.quit]
        case .character(" "):
            // Pause when anything trains; otherwise resume everything.
            let anyRunning = live.configurations.contains { $0.status == .running }
            return [.session(anyRunning ? .pause : .resume, configuration: nil)]
        case .character("n"):
            guard live.configurations.contains(where: { $0.status == .paused }) else {
                message = "n takes one step while paused (space pauses)"
                return []
            }
            return [.session(.singleStep, configuration: nil)]
        case .character("r"): return [.restart]
        case .character("p"):
            var p = Picker(entries: presets())
            p.selection = p.entries.firstIndex { $0.name == info.presetName } ?? 0
            if p.entries.isEmpty { message = "no presets found" } else { picker = p }
        case .up: if !slots.isEmpty { selectedParameter = (selectedParameter - 1 + slots.count) % slots.count }
        case .down: if !slots.isEmpty { selectedParameter = (selectedParameter + 1) % slots.count }
        case .left, .right:
            guard let slot = slots[safe: selectedParameter] else { return [] }
            // Relative: the worker steps from the value in force when it applies the press,
            // so presses that arrive faster than steps all count.
            return [.session(.nudge(slot.key, up: key == .right), configuration: slot.configuration)]
        case .enter:
            guard let slot = slots[safe: selectedParameter] else { return [] }
            editor = Editor(text: snapshot.configurations[slot.configuration].hyper[slot.key]?.description ?? "", selected: true)
        case .character("l"): logScale.toggle()
        case .character("s"): smoothingIndex = (smoothingIndex + 1) % Self.smoothingWeights.count
        case .character("x"):
            xAxis = XAxis.allCases[(XAxis.allCases.firstIndex(of: xAxis)! + 1) % XAxis.allCases.count]
            cursor = nil
        case .character("z"): zoom = Zoom.allCases[(Zoom.allCases.firstIndex(of: zoom)! + 1) % Zoom.allCases.count]
        case .character("f"): frozen = frozen == nil ? live : nil
        case .character("g"): fourthChart = fourthChart == .testAccuracy ? .gradNorm : .testAccuracy
        case .character("?"): showHelp = true
        case .character("e"): return [.export]
        case .character("b"):
            if info.plane != nil { showBoundaries.toggle() } else {
                message = "decision boundaries need a 2-D classification dataset (spirals, moons, circles, xor, blobs)"
            }
        case .character("+"), .character("="), .character("-"):
            let faster = key != .character("-")
            let next: Double?
            switch (speed, faster) {
            case (nil, true): return []
            case (nil, false): next = Self.speedLevels.last
            case (let s?, true): next = Self.speedLevels.first { $0 > s }
            case (let s?, false):
                guard let slower = Self.speedLevels.last(where: { $0 < s }) else { return [] }
                next = slower
            }
            speed = next
            return [.session(.limitSpeed(speed), configuration: nil)]
        case .character("t"):
            stopAtLength.toggle()
            message = stopAtLength ? "each configuration stops at the preset's length (\(snapshot.configurations.first?.totalSteps ?? 0) steps)"
                : "training goes on past the preset's length until you stop it"
            return [.session(.stopAtLength(stopAtLength), configuration: nil)]
        case .character("a"):
            pauseOnEvaluation.toggle()
            message = pauseOnEvaluation ? "pausing after each evaluation" : "no longer pausing at evaluations"
            return [.session(.pauseOnEvaluation(pauseOnEvaluation), configuration: nil)]
        case .character(let c) where c.isASCII && c.isNumber:
            toggleHidden(Int(String(c))!, snapshot: snapshot)
        case .character("c"):
            cursor = cursor == nil ? ChartData(snapshot: snapshot, info: info, state: self).xBounds?.upperBound : nil
        case .character(","), .character("."), .character("<"), .character(">"):
            moveCursor(key, snapshot: snapshot, info: info)
        case .character("F"):
            guard let slot = slots[safe: selectedParameter] else { return [] }
            guard live.configurations.count < Configuration.limit else {
                message = "a session runs at most \(Configuration.limit) configurations"
                return []
            }
            message = "forking \(snapshot.configurations[slot.configuration].label) at step \(snapshot.configurations[slot.configuration].step)"
            return [.fork(slot.configuration)]
        default: break
        }
        return []
    }

    /// `1`...`9` hide or show that configuration (its number in the legend); `0` shows all.
    private mutating func toggleHidden(_ n: Int, snapshot: SessionSnapshot) {
        guard n > 0 else { hidden.removeAll(); return }
        guard let m = snapshot.configurations[safe: n - 1] else {
            message = "there is no configuration \(n) (\(snapshot.configurations.count) in this session)"
            return
        }
        if hidden.contains(m.name) { hidden.remove(m.name) } else { hidden.insert(m.name) }
    }

    /// `,` and `.` move the cursor by 1% of the visible range, `<` and `>` by 10%.
    private mutating func moveCursor(_ key: Key, snapshot: SessionSnapshot, info: DashboardInfo) {
        guard let bounds = ChartData(snapshot: snapshot, info: info, state: self).xBounds else { return }
        let span = bounds.upperBound - bounds.lowerBound
        let current = cursor ?? bounds.upperBound
        let delta: Double
        switch key {
        case .character(","): delta = -span / 100
        case .character("."): delta = span / 100
        case .character("<"): delta = -span / 10
        default: delta = span / 10
        }
        var next = min(max(current + delta, bounds.lowerBound), bounds.upperBound)
        if xAxis == .step { next = next.rounded() }
        cursor = next
    }

    private mutating func handleEditor(_ key: Key, snapshot: SessionSnapshot) -> [Effect] {
        guard var e = editor else { return [] }
        switch key {
        case .escape: editor = nil; return []
        case .backspace:
            if e.selected { e.text = "" } else if !e.text.isEmpty { e.text.removeLast() }
            e.selected = false; e.error = nil
        case .right: e.selected = false
        case .character(let c) where e.selected || e.text.count < 32:
            e.text = e.selected ? String(c) : e.text + String(c)
            e.selected = false; e.error = nil
        case .enter:
            guard let slot = snapshot.parameterSlots[safe: selectedParameter] else { editor = nil; return [] }
            let m = snapshot.configurations[slot.configuration]
            // A value the solver refuses (out of its range, not a number) is refused here, in
            // place, with the reason and the range; nothing is sent until it is valid.
            do {
                var probe = m.hyper
                try probe.set(slot.key, text: e.text)
            } catch {
                e.error = error.message
                e.selected = true
                editor = e
                return []
            }
            editor = nil
            return [.session(.setText(slot.key, e.text), configuration: slot.configuration)]
        default: break
        }
        editor = e
        return []
    }

    private mutating func handlePicker(_ key: Key) -> [Effect] {
        guard var p = picker else { return [] }
        switch key {
        case .escape, .character("p"), .character("q"): picker = nil; return []
        case .up: p.selection = (p.selection - 1 + p.entries.count) % p.entries.count
        case .down: p.selection = (p.selection + 1) % p.entries.count
        case .enter:
            picker = nil
            return [.loadPreset(p.entries[p.selection].location)]
        default: break
        }
        picker = p
        return []
    }
}
