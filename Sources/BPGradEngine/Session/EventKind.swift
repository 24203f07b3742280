/// Every kind of event a run records (docs/run-format.md lists their details).
public enum EventKind: String, Sendable, CaseIterable, Hashable {
    case start, eval
    case epochEnd = "epoch_end"
    case pause, resume, set, rejected
    /// The preset's length was reached and training goes on (the dashboard's default).
    case lengthReached = "length_reached"
    case finished, diverged, fork, restart, stop, error

    /// Drawn as a vertical marker on every chart, and kept exactly however long the run.
    public var isMarker: Bool {
        switch self {
        case .set, .diverged, .fork, .restart, .lengthReached: true
        default: false
        }
    }
}
