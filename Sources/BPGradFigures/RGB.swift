import BPGradDashboard

/// A colour for figures: red, green and blue in 0...1.
public struct RGB: Sendable, Equatable, Hashable {
    public var red: Double, green: Double, blue: Double

    public init(red: Double, green: Double, blue: Double) {
        self.red = min(max(red, 0), 1); self.green = min(max(green, 0), 1); self.blue = min(max(blue, 0), 1)
    }

    /// From 0...255 components.
    public init(_ r: Int, _ g: Int, _ b: Int) {
        self.init(red: Double(r) / 255, green: Double(g) / 255, blue: Double(b) / 255)
    }

    /// The colour xterm shows for a 256-colour index: the 16 system colours (xterm's
    /// defaults), the 6x6x6 cube (levels 0, 95, 135, 175, 215, 255) and the 24 greys.
    public init(xterm index: UInt8) {
        let i = Int(index)
        switch i {
        case 0..<16:
            let system: [(Int, Int, Int)] = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205),
                                             (0, 205, 205), (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0),
                                             (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255)]
            let c = system[i]
            self.init(c.0, c.1, c.2)
        default:
            let c = Palette.xtermRGB(i)
            self.init(c.r, c.g, c.b)
        }
    }

    public static let black = RGB(0, 0, 0)
    public static let white = RGB(255, 255, 255)
}
