/// Why `Session.requestFork` refused, in words the dashboard shows as they are.
public enum ForkRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    case noSuchConfiguration(Int)
    /// The session already runs (or is adopting) `Configuration.limit` configurations.
    case limit
    /// One more trainer would not fit the memory budget.
    case memory(EngineError)
    /// The session is stopping.
    case stopping

    public var description: String {
        switch self {
        case .noSuchConfiguration(let i): "there is no configuration \(i + 1)"
        case .limit: "a session runs at most \(Configuration.limit) configurations (forks in flight count)"
        case .memory(let e): e.description
        case .stopping: "the session is stopping"
        }
    }
}
