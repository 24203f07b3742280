/// The per-solver quantities the store keeps over time.
public enum Series: String, Sendable, CaseIterable, Hashable {
    case loss, testLoss = "test_loss", testAccuracy = "test_accuracy"
    case lr, eta, radius, fStar = "f_star", gradNorm = "grad_norm", stepNorm = "step_norm"
    case lipschitzEstimate = "lipschitz_estimate", samplesPerSecond = "samples_per_second"
    /// Wall-clock seconds since the session started, at each step (for the time axis).
    case wallTime = "wall_time"
}

/// What a solver is doing.
public enum SolverStatus: Sendable, Equatable, CustomStringConvertible {
    case starting, running, paused, finished
    case diverged(step: Int)
    case stopped

    public var description: String {
        switch self {
        case .starting: "starting"
        case .running: "running"
        case .paused: "paused"
        case .finished: "finished"
        case .diverged(let s): "diverged at step \(s)"
        case .stopped: "stopped"
        }
    }

    /// No more steps will come unless the user restarts.
    public var isDone: Bool {
        switch self {
        case .finished, .diverged, .stopped: true
        default: false
        }
    }
}

/// Something that happened in a session, at the step it took effect.
public struct SessionEvent: Sendable, Equatable {
    public var step: Int
    public var wallMilliseconds: Double
    /// The solver's kind, or empty for session-wide events.
    public var solver: String
    public var kind: String
    public var detail: String

    public init(step: Int, wallMilliseconds: Double, solver: String, kind: String, detail: String) {
        self.step = step; self.wallMilliseconds = wallMilliseconds; self.solver = solver; self.kind = kind; self.detail = detail
    }

    public static let csvHeader = "step,wall_ms,solver,event,detail"

    public var csv: String {
        let escaped = detail.contains(",") || detail.contains("\"") ? "\"" + detail.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : detail
        return "\(step),\(String(format: "%.3f", wallMilliseconds)),\(solver),\(kind),\(escaped)"
    }
}

import Foundation
