import BPGradDashboard
import BPGradEngine

/// The figures' colours, kept in one place. Figures are read on white paper, where most of the
/// dashboard's colours (made for a dark terminal: cyan, light green, yellow-green) are faint,
/// so each configuration gets the darker relative of its dashboard colour, by the same index.
public enum FigureColors {
    /// One colour per configuration on white, in the order of `Palette.configurationColors`
    /// (the dashboard colour each stands for in the comment). Every one has a WCAG contrast
    /// ratio of at least 3:1 against white (the level for graphical objects; 3.8 to 16 here)
    /// and they stay apart from each other (CIE76 distance of at least 25); FigureTests checks both.
    public static let paper: [RGB] = [
        RGB(0, 131, 143),   // teal, for cyan (51)
        RGB(217, 95, 2),    // dark orange, for orange (214)
        RGB(46, 125, 50),   // green, for light green (120)
        RGB(142, 68, 173),  // violet, for violet (177)
        RGB(214, 39, 40),   // red, for salmon (203)
        RGB(31, 95, 191),   // blue, for sky blue (75)
        RGB(194, 24, 140),  // magenta, for pink (219)
        RGB(128, 128, 0),   // olive, for yellow-green (190)
        RGB(70, 130, 180),  // steel blue, for pale cyan (159)
        RGB(140, 86, 75),   // brown, for dark orange (208)
        RGB(0, 0, 128),     // navy, for lavender (141)
        RGB(90, 90, 90),    // dark grey, for light grey (250)
    ]

    /// The colour of the configuration at `index` in display order (all plotted runs
    /// together): the paper colour of the dashboard's colour for that configuration.
    public static func configuration(_ index: Int) -> RGB {
        paper[((index % paper.count) + paper.count) % paper.count]
    }

    /// A series' terminal colour on paper: a configuration colour becomes its paper colour (the
    /// dashboard's export), any other colour is drawn as the terminal shows it.
    public static func series(_ color: Color) -> RGB {
        if case .indexed(let i) = color, let k = Palette.configurationColors.firstIndex(of: i), k < paper.count { return paper[k] }
        return rgb(color)
    }

    /// A marker's colour and dash by event kind. The dashboard's yellow (xterm 226) is made for
    /// a dark terminal and vanishes on white paper, so `set` takes a dark yellow of the same
    /// hue (xterm 136, 3.3:1 on white); a divergence keeps the dashboard's red.
    public static func marker(kind: EventKind) -> (color: RGB, dashed: Bool) {
        switch kind {
        case .set: (RGB(xterm: 136), false)
        case .diverged: (rgb(Palette.danger), false)
        case .fork: (RGB(xterm: 98), true)
        case .restart: (rgb(Palette.muted), true)
        default: (rgb(Palette.muted), false)
        }
    }

    /// An xterm colour as RGB (the default colour and the basic eight map to xterm's own).
    public static func rgb(_ color: Color) -> RGB {
        switch color {
        case .indexed(let i), .basic(let i): RGB(xterm: i)
        case .reset: RGB.black
        }
    }
}
