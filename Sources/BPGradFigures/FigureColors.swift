import BPGradDashboard
import BPGradEngine

/// The TUI's colours as RGB for figures, kept in one place so that a change to the
/// dashboard's palette is one edit here.
public enum FigureColors {
    /// The colour of the configuration at `index` in display order (all plotted runs
    /// together): the dashboard's colour for that configuration.
    public static func configuration(_ index: Int) -> RGB {
        rgb(Palette.color(forConfiguration: index))
    }

    /// A marker's colour and dash by event kind. The dashboard's yellow (xterm 226) is made for
    /// a dark terminal and vanishes on white paper, so `set` takes the darker yellow of the same
    /// hue (xterm 178); a divergence keeps the dashboard's red.
    public static func marker(kind: EventKind) -> (color: RGB, dashed: Bool) {
        switch kind {
        case .set: (RGB(xterm: 178), false)
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
