import BPGradEngine

/// What the dashboard remembers between frames: selection, view options, overlays.
/// Changed only by key handling, never while drawing.
public struct DashboardState: Sendable {
    public enum Zoom: Sendable, CaseIterable {
        case all, last1000, last100
        public var label: String { switch self { case .all: "whole run"; case .last1000: "last 1000"; case .last100: "last 100" } }
        public var window: Double? { switch self { case .all: nil; case .last1000: 1000; case .last100: 100 } }
    }
    public enum FourthChart: Sendable { case testAccuracy, gradNorm }

    /// The value editor. It opens on the value in force, selected, as a form field does: the
    /// first character typed replaces it (typing 50 on L = 10 gives 50, not 1050), Backspace
    /// clears it, and Right keeps it to edit at its end.
    public struct Editor: Sendable, Equatable {
        public var text: String
        public var error: String?
        /// The old value is selected: the next character replaces it.
        public var selected: Bool

        public init(text: String, error: String? = nil, selected: Bool = false) {
            self.text = text
            self.error = error
            self.selected = selected
        }
    }

    public struct Picker: Sendable {
        public var entries: [PresetLibrary.Entry]
        public var selection = 0

        public init(entries: [PresetLibrary.Entry], selection: Int = 0) {
            self.entries = entries
            self.selection = selection
        }
    }

    public static let smoothingWeights: [Double] = [0, 0.6, 0.9, 0.99]
    /// Steps per second per configuration; nil is unlimited.
    /// The caps `+` and `-` step through, slowest first; beyond the fastest is full speed.
    public static let speedLevels: [Double] = [1, 10, 100, 1000]

    public var selectedParameter = 0
    public var logScale = false
    /// TensorBoard's 0.6 by default: minibatch losses are noisy.
    public var smoothingIndex = 1
    public var xAxis = XAxis.step
    public var zoom = Zoom.all
    public var fourthChart = FourthChart.testAccuracy
    /// The snapshot on screen while the display is frozen (training goes on).
    public var frozen: SessionSnapshot?
    public var showHelp = false
    /// Decision boundaries instead of the charts (2-D classification data only).
    public var showBoundaries = false
    public var editor: Editor?
    public var picker: Picker?
    /// A one-line message in the footer (export path, load errors).
    public var message: String?
    /// Configurations left out of the charts, by name (names survive forks and reorders).
    public var hidden: Set<String> = []
    /// The cursor's x on the current axis, when it is shown.
    public var cursor: Double?
    /// The cap in force, in steps per second per configuration (nil: full speed). `--speed`
    /// may set any value; `+` and `-` move to the next level above or below it.
    public var speed: Double?
    /// Stop at the preset's length instead of training on.
    public var stopAtLength = false
    public var pauseOnEvaluation = false
    /// Values sent to another process's run (`watch`) that its events have not confirmed yet.
    public var pending: [PendingValue] = []

    public struct PendingValue: Sendable, Equatable {
        public var slot: ParameterSlot
        public var value: HyperValue
        /// The commands.jsonl id whose event confirms (or rejects) it.
        public var id: String

        public init(slot: ParameterSlot, value: HyperValue, id: String) {
            self.slot = slot; self.value = value; self.id = id
        }
    }

    public init() {}

    public var smoothing: Double { Self.smoothingWeights[smoothingIndex] }

    public var speedLabel: String {
        guard let s = speed else { return "full speed" }
        return "\(NumberText.compact(s)) steps/s"
    }
}
