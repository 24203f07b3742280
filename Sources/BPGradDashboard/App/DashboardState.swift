import BPGradEngine

/// What the dashboard remembers between frames: selection, view options, overlays.
/// Changed only by key handling, never while drawing.
public struct DashboardState: Sendable {
    public enum XAxis: String, Sendable, CaseIterable { case step, epoch, time }
    public enum Zoom: Sendable, CaseIterable {
        case all, last1000, last100
        public var label: String { switch self { case .all: "whole run"; case .last1000: "last 1000"; case .last100: "last 100" } }
        public var window: Double? { switch self { case .all: nil; case .last1000: 1000; case .last100: 100 } }
    }
    public enum FourthChart: Sendable { case testAccuracy, gradNorm }

    public struct Editor: Sendable, Equatable {
        public var text: String
        public var error: String?

        public init(text: String, error: String? = nil) {
            self.text = text
            self.error = error
        }
    }

    public struct Picker: Sendable {
        public var entries: [PresetLibrary.Entry]
        public var selection = 0
    }

    public static let smoothingWeights: [Double] = [0, 0.6, 0.9, 0.99]

    public var selectedParameter = 0
    public var logScale = false
    public var smoothingIndex = 0
    public var xAxis = XAxis.step
    public var zoom = Zoom.all
    public var fourthChart = FourthChart.testAccuracy
    /// The snapshot on screen while the display is frozen (training goes on).
    public var frozen: SessionSnapshot?
    public var showHelp = false
    /// Decision boundaries instead of the charts (2-D classification data only).
    public var showBoundaries = false
    public var paused = false
    public var editor: Editor?
    public var picker: Picker?
    /// A one-line message in the footer (export path, load errors).
    public var message: String?

    public init() {}

    public var smoothing: Double { Self.smoothingWeights[smoothingIndex] }
}

/// Every tunable hyperparameter of every solver, in display order.
public struct ParameterSlot: Sendable, Equatable {
    public var solver: Int
    public var name: String

    public init(solver: Int, name: String) {
        self.solver = solver
        self.name = name
    }
}

extension SessionSnapshot {
    public var parameterSlots: [ParameterSlot] {
        solvers.enumerated().flatMap { i, m in m.hyper.schema.map { ParameterSlot(solver: i, name: $0.name) } }
    }
}
