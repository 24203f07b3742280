import Foundation

/// Something that happened in a run, at the step it took effect.
public struct SessionEvent: Sendable, Equatable {
    public var step: Int
    public var wallMilliseconds: Double
    /// The configuration's name, or empty for run-wide events.
    public var solver: String
    public var kind: EventKind
    public var detail: String
    /// For `set`: what changed, typed.
    public var change: HyperChange?

    public init(step: Int, wallMilliseconds: Double, solver: String, kind: EventKind, detail: String = "", change: HyperChange? = nil) {
        self.step = step; self.wallMilliseconds = wallMilliseconds; self.solver = solver; self.kind = kind
        self.detail = detail; self.change = change
    }

    public static let csvHeader = "step,wall_ms,solver,event,detail"

    /// One line of events.csv, quoted as CSV needs (no newline).
    public var csv: String {
        func quote(_ s: String) -> String {
            s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        let flat = detail.replacingOccurrences(of: "\n", with: " ")
        return "\(step),\(String(format: "%.3f", wallMilliseconds)),\(quote(solver)),\(kind.rawValue),\(quote(flat))"
    }
}
