/// What the user (or a test) can tell a running session; applied between two steps.
public enum SessionCommand: Sendable, Equatable {
    case pause
    case resume
    /// One step while paused.
    case singleStep
    /// Back to the shared initial weights and a fresh solver state, same seed.
    case restart
    /// Sets a hyperparameter of the solver the command is sent to.
    case set(name: String, value: HyperValue)
    case stop
    /// Evaluate the network over a grid of the plane, on the solver's own queue, into the store.
    case computeBoundary(DecisionBoundary.Request)
}
