/// What a configuration's worker is doing.
public enum SolverStatus: Sendable, Equatable, CustomStringConvertible {
    case starting, running, paused, finished
    /// Waiting for a free slot (a sweep with more combinations than `--parallel`).
    case queued
    case diverged(step: Int)
    case stopped
    /// The worker could not go on (a file it cannot write, a trainer it cannot build).
    case error(String)
    /// Read back only: the run says it trains, but its writer has not written for a while
    /// (`RunStatus.stale`; a writer killed with -9 looks so). No writer writes it.
    case stale

    public var description: String {
        switch self {
        case .starting: "starting"
        case .queued: "queued"
        case .running: "running"
        case .paused: "paused"
        case .finished: "finished"
        case .diverged(let s): "diverged at step \(s)"
        case .stopped: "stopped"
        case .error(let m): "error: \(m)"
        case .stale: "stale"
        }
    }

    /// Reads `description` back (summary.json's `status`); nil for text no writer produces.
    public init?(text: String) {
        let diverged = "diverged at step ", error = "error: "
        if let plain = Self.plain.first(where: { $0.description == text }) { self = plain }
        else if text.hasPrefix(diverged), let s = Int(text.dropFirst(diverged.count)) { self = .diverged(step: s) }
        else if text.hasPrefix(error) { self = .error(String(text.dropFirst(error.count))) }
        else { return nil }
    }

    /// The statuses without a payload, read back by their `description`.
    private static let plain: [SolverStatus] = [.starting, .queued, .running, .paused, .finished, .stopped]

    /// No more steps will come.
    public var isDone: Bool {
        switch self {
        case .finished, .diverged, .stopped, .error: true
        default: false
        }
    }
}
