import BPGradEngine

/// The landscape view's own UI state, changed only by keys.
public struct LandscapeState: Sendable {
    public var selected = 0
    public var paused = false
    /// The start-point cursor while `c` is active.
    public var cursor: SIMD2<Double>?
    public var showHelp = false
    public var stepsPerFrame = 1
    public var message: String?

    public init() {}

    public enum Effect: Sendable, Equatable {
        case quit, step, restart(start: SIMD2<Double>?), nextFunction
        case set(solver: Int, key: HyperKey, value: HyperValue)
    }

    public static let speeds = [1, 2, 5, 10, 25, 50]

    /// Applies a key; the model's domain bounds the cursor.
    public mutating func handle(_ key: Key, model: LandscapeModel) -> [Effect] {
        if key == .interrupt || key == .character("q") { return [.quit] }
        let d = model.function.domain
        if var c = cursor {
            let dx = (d.x.upperBound - d.x.lowerBound) / 40, dy = (d.y.upperBound - d.y.lowerBound) / 20
            switch key {
            case .left: c.x = max(d.x.lowerBound, c.x - dx)
            case .right: c.x = min(d.x.upperBound, c.x + dx)
            case .up: c.y = min(d.y.upperBound, c.y + dy)
            case .down: c.y = max(d.y.lowerBound, c.y - dy)
            case .enter: cursor = nil; return [.restart(start: c)]
            case .escape, .character("c"): cursor = nil; return []
            default: break
            }
            cursor = c
            return []
        }
        if showHelp {
            if key == .character("?") || key == .escape { showHelp = false }
            return []
        }
        message = nil
        let slots = model.slots
        switch key {
        case .character(" "): paused.toggle()
        case .character("n"):
            guard paused else { message = "n takes one step while paused (space pauses)"; return [] }
            return [.step]
        case .character("r"): return [.restart(start: nil)]
        case .character("t"): return [.nextFunction]
        case .character("c"): cursor = model.tracks.first?.path.first ?? SIMD2((d.x.lowerBound + d.x.upperBound) / 2, (d.y.lowerBound + d.y.upperBound) / 2)
        case .character("?"): showHelp = true
        case .character("+"), .character("="): stepsPerFrame = Self.speeds.first { $0 > stepsPerFrame } ?? stepsPerFrame
        case .character("-"): stepsPerFrame = Self.speeds.last { $0 < stepsPerFrame } ?? stepsPerFrame
        case .up: if !slots.isEmpty { selected = (selected - 1 + slots.count) % slots.count }
        case .down: if !slots.isEmpty { selected = (selected + 1) % slots.count }
        case .left, .right:
            guard let slot = slots[safe: selected], let hyper = model.tracks[safe: slot.configuration]?.hyper,
                  let info = try? hyper.schema.info(slot.key), let current = hyper[slot.key],
                  let next = info.nudged(current, up: key == .right) else { return [] }
            return [.set(solver: slot.configuration, key: slot.key, value: next)]
        default: break
        }
        return []
    }

    public static let help: [(key: String, action: String)] = [
        ("q, Ctrl-C", "quit"), ("space", "pause / resume"), ("n", "one step while paused"), ("r", "restart from the start point"),
        ("↑ ↓", "select a hyperparameter"), ("← →", "change it (×1.25 for L and lr; ±0.05 for mu, rho, betas)"),
        ("c", "choose the start: arrows move the cursor, Enter restarts there, Esc cancels"),
        ("t", "next test function"), ("+ -", "steps per frame (speed)"), ("?", "this help"),
    ]
}
