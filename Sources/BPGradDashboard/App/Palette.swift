import BPGradEngine

/// One colour per solver, the same in every chart, table and panel.
public enum Palette {
    public static func color(forSolver kind: String) -> Color {
        switch kind {
        case "bpgrad": .indexed(51)     // cyan
        case "adam": .indexed(214)      // orange
        case "sgd": .indexed(120)       // green
        case "adagrad": .indexed(177)   // violet
        case "adadelta": .indexed(203)  // coral
        case "rmsprop": .indexed(75)    // blue
        case "bpgrad-bp": .indexed(213) // pink
        default: .indexed(250)
        }
    }

    /// The nearest of the 8 basic colours, for terminals without 256 colours. Solver colours
    /// map by hand so that each stays distinct; any other xterm-256 index is matched by hue
    /// (greys by brightness), so the heat ramp still reads dark blue to yellow to white.
    public static func basic(_ c: Color) -> Color {
        guard case .indexed(let i) = c else { return c }
        switch i {
        case 51: return .cyan          // bpgrad
        case 214: return .yellow       // adam
        case 120: return .green        // sgd
        case 177: return .magenta      // adagrad
        case 203: return .red          // adadelta
        case 75: return .blue          // rmsprop
        case 213: return .white        // bpgrad-bp
        case 0..<8: return .basic(i)
        case 8..<16: return .basic(i - 8)
        default: break
        }
        var rgb: [Double]
        if i < 232 {
            let n = Int(i) - 16, level = { (v: Int) in Double(v == 0 ? 0 : 55 + 40 * v) }
            rgb = [level(n / 36), level(n / 6 % 6), level(n % 6)]
        } else {
            let v = Double(8 + 10 * (Int(i) - 232))
            rgb = [v, v, v]
        }
        let top = rgb.max()!, bottom = rgb.min()!
        if top - bottom < 40 { return top < 100 ? .black : .white }
        rgb = rgb.map { $0 * 255 / top }
        let hues: [(Color, [Double])] = [(.red, [255, 0, 0]), (.green, [0, 255, 0]), (.yellow, [255, 255, 0]), (.blue, [0, 0, 255]),
                                         (.magenta, [255, 0, 255]), (.cyan, [0, 255, 255]), (.white, [255, 255, 255])]
        return hues.min { a, b in
            zip(a.1, rgb).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } < zip(b.1, rgb).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        }!.0
    }

    public static let accent = Color.indexed(220)
    public static let marker = Color.indexed(226)
    public static let danger = Color.indexed(196)
    public static let muted = Color.indexed(244)
}
