import BPGradEngine

/// One colour per configuration, the same in every chart, table and panel.
public enum Palette {
    /// Twelve xterm-256 colours far apart in hue and lightness, in the order configurations
    /// get them; `basic` maps the first six to six different basic colours.
    public static let configurationColors: [UInt8] = [51, 214, 120, 177, 203, 75, 219, 190, 159, 208, 141, 250]

    public static func color(forConfiguration index: Int) -> Color {
        .indexed(configurationColors[((index % configurationColors.count) + configurationColors.count) % configurationColors.count])
    }

    /// The red, green and blue of an xterm-256 index from 16 up: the 6x6x6 cube (levels 0, 95,
    /// 135, 175, 215, 255), then the 24 greys. The terminal's colours and the figures' agree.
    public static func xtermRGB(_ index: Int) -> (r: Int, g: Int, b: Int) {
        if index < 232 {
            let n = index - 16
            func level(_ v: Int) -> Int { v == 0 ? 0 : 55 + 40 * v }
            return (level(n / 36), level(n / 6 % 6), level(n % 6))
        }
        let v = 8 + 10 * (index - 232)
        return (v, v, v)
    }

    /// The nearest of the 8 basic colours, for terminals without 256 colours. Solver colours
    /// map by hand so that each stays distinct; any other xterm-256 index is matched by hue
    /// (greys by brightness), so the heat ramp still reads dark blue to yellow to white.
    public static func basic(_ c: Color) -> Color {
        guard case .indexed(let i) = c else { return c }
        switch i {
        case 51: return .cyan          // configuration 1
        case 214: return .yellow       // 2
        case 120: return .green        // 3
        case 177: return .magenta      // 4
        case 203: return .red          // 5
        case 75: return .blue          // 6
        case 219: return .white        // 7; from here on the legend numbers tell them apart
        case 0..<8: return .basic(i)
        case 8..<16: return .basic(i - 8)
        default: break
        }
        let c = xtermRGB(Int(i))
        var rgb = [Double(c.r), Double(c.g), Double(c.b)]
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
