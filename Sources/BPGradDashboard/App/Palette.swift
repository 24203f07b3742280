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

    /// The nearest of the 8 basic colours, for terminals without 256 colours.
    public static func basic(_ c: Color) -> Color {
        guard case .indexed(let i) = c else { return c }
        switch i {
        case 51, 87, 45: return .cyan
        case 214, 208, 220, 226: return .yellow
        case 120, 46, 76: return .green
        case 177, 141, 213: return .magenta
        case 203, 196, 160: return .red
        case 75, 33, 39: return .blue
        case 0..<8: return .basic(i)
        case 8..<16: return .basic(i - 8)
        default: return .white
        }
    }

    public static let accent = Color.indexed(220)
    public static let marker = Color.indexed(226)
    public static let danger = Color.indexed(196)
    public static let muted = Color.indexed(244)
}
