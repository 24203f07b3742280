import BPGradEngine

/// A thin vertical line across a panel at an x where something happened (a parameter set, a
/// divergence, a fork, a restart). Markers are drawn one by one, never decimated.
public struct FigureMarker: Sendable, Equatable {
    public var x: Double
    public var color: RGB
    /// What happened, for the legend (`set`, `diverged`...): one legend entry per kind.
    public var kind: EventKind
    public var dashed: Bool

    public init(x: Double, color: RGB, kind: EventKind, dashed: Bool = false) {
        self.x = x; self.color = color; self.kind = kind; self.dashed = dashed
    }
}
