import BPGradEngine
import Foundation

extension DashboardState {
    /// Applies one key to the UI state and returns what the outside world should do.
    /// `presets` is asked only when the picker opens.
    public mutating func handle(_ key: Key, snapshot: SessionSnapshot, planar: Bool = false, presets: () -> [PresetLibrary.Entry]) -> [Effect] {
        if key == .interrupt { return [.quit] }
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
            paused.toggle()
            return [.session(paused ? .pause : .resume, solver: nil)]
        case .character("n"):
            guard paused else { message = "n takes one step while paused (space pauses)"; return [] }
            return [.session(.singleStep, solver: nil)]
        case .character("r"): return [.session(.restart, solver: nil)]
        case .character("p"):
            picker = Picker(entries: presets())
            if picker?.entries.isEmpty == true { picker = nil; message = "no presets found" }
        case .up: if !slots.isEmpty { selectedParameter = (selectedParameter - 1 + slots.count) % slots.count }
        case .down: if !slots.isEmpty { selectedParameter = (selectedParameter + 1) % slots.count }
        case .left, .right:
            guard let slot = slots[safe: selectedParameter], let effect = adjust(slot, snapshot: snapshot, up: key == .right) else { return [] }
            return [effect]
        case .enter:
            guard let slot = slots[safe: selectedParameter] else { return [] }
            editor = Editor(text: snapshot.solvers[slot.solver].hyper[slot.name]?.description ?? "")
        case .character("l"): logScale.toggle()
        case .character("s"): smoothingIndex = (smoothingIndex + 1) % Self.smoothingWeights.count
        case .character("x"): xAxis = XAxis.allCases[(XAxis.allCases.firstIndex(of: xAxis)! + 1) % XAxis.allCases.count]
        case .character("z"): zoom = Zoom.allCases[(Zoom.allCases.firstIndex(of: zoom)! + 1) % Zoom.allCases.count]
        case .character("f"): frozen = frozen == nil ? snapshot : nil
        case .character("g"): fourthChart = fourthChart == .testAccuracy ? .gradNorm : .testAccuracy
        case .character("?"): showHelp = true
        case .character("e"): return [.export]
        case .character("b"):
            if planar { showBoundaries.toggle() } else { message = "decision boundaries need a 2-D classification dataset (spirals, moons, circles, xor, blobs)" }
        default: break
        }
        return []
    }

    private mutating func handleEditor(_ key: Key, snapshot: SessionSnapshot) -> [Effect] {
        guard var e = editor else { return [] }
        switch key {
        case .escape: editor = nil; return []
        case .backspace: if !e.text.isEmpty { e.text.removeLast() }; e.error = nil
        case .character(let c) where e.text.count < 32: e.text.append(c); e.error = nil
        case .enter:
            guard let slot = snapshot.parameterSlots[safe: selectedParameter] else { editor = nil; return [] }
            do {
                let value = try snapshot.solvers[slot.solver].hyper.info(slot.name).parse(e.text, solver: snapshot.solvers[slot.solver].kind)
                editor = nil
                return [.session(.set(name: slot.name, value: value), solver: slot.solver)]
            } catch {
                e.error = "\(error)"
            }
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
            return [.loadPreset(path: p.entries[p.selection].path)]
        default: break
        }
        picker = p
        return []
    }

    /// The next value of a hyperparameter one step up or down, clamped to what it accepts.
    func adjust(_ slot: ParameterSlot, snapshot: SessionSnapshot, up: Bool) -> Effect? {
        let hyper = snapshot.solvers[slot.solver].hyper
        guard let next = Self.step(hyper, slot.name, up: up) else { return nil }
        return .session(.set(name: slot.name, value: next), solver: slot.solver)
    }

    /// One left/right step of `name` in `hyper`: multiplicative or additive by its schema,
    /// flags and choices toggle; nil when the value cannot move further.
    public static func step(_ hyper: Hyperparameters, _ name: String, up: Bool) -> HyperValue? {
        guard let info = try? hyper.info(name), let current = hyper[name] else { return nil }
        let next: HyperValue
        switch (info.stepping, current, info.domain) {
        case let (.multiplicative(f), .number(v), .real(lo, hi, loOpen, hiOpen)):
            let x = v == 0 ? (up ? 1e-4 : 0) : (up ? v * f : v / f)
            next = .number(clamp(x, lo, hi, loOpen, hiOpen))
        case let (.additive(d), .number(v), .real(lo, hi, loOpen, hiOpen)):
            let x = ((up ? v + d : v - d) * 1e9).rounded() / 1e9
            next = .number(clamp(x, lo, hi, loOpen, hiOpen))
        case (_, .flag(let b), _): next = .flag(!b)
        case let (_, .choice(c), .choice(options)):
            let i = options.firstIndex(of: c) ?? 0
            next = .choice(options[(i + (up ? 1 : options.count - 1)) % options.count])
        default: return nil
        }
        guard next != current, (try? info.validate(next, solver: hyper.solver)) != nil else { return nil }
        return next
    }

    static func clamp(_ x: Double, _ lo: Double, _ hi: Double, _ loOpen: Bool, _ hiOpen: Bool) -> Double {
        var v = x
        if hi.isFinite { v = min(v, hiOpen ? hi - 1e-3 : hi) }
        if loOpen { v = max(v, lo == 0 ? 1e-12 : lo + 1e-3) } else { v = max(v, lo) }
        return v
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
