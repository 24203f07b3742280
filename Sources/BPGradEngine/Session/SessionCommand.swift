/// What the user (or a viewer through commands.jsonl) can tell a configuration; applied
/// between two steps, each recorded as an event at the step it took effect.
public enum SessionCommand: Sendable, Equatable {
    case pause
    case resume
    /// Pause (true) or resume (false) at a commands.jsonl line's request; `origin` is its id,
    /// quoted in the `pause` or `resume` event as `set` quotes it.
    case pauseCommand(Bool, origin: String?)
    /// One step while paused.
    case singleStep
    /// Sets a hyperparameter; `origin` is the commands.jsonl id quoted in the event.
    case set(HyperKey, HyperValue, origin: String? = nil)
    /// Text a user typed for a hyperparameter; a `rejected` event when it does not parse.
    case setText(HyperKey, String)
    /// One left/right step from the value in force when the worker applies it, so ten quick
    /// presses are ten changes whatever the worker was doing.
    case nudge(HyperKey, up: Bool)
    /// At most this many steps per second (nil: as fast as the machine goes).
    case limitSpeed(Double?)
    /// Stop at the preset's length (true) or train on past it (false).
    case stopAtLength(Bool)
    /// Pause when an evaluation has just run.
    case pauseOnEvaluation(Bool)
    /// A commands.jsonl line that is not a valid command: recorded as `rejected`.
    case reject(String, origin: String?)
    case stop
    /// Evaluate the network over a grid of the plane, on the configuration's own queue.
    case computeBoundary(DecisionBoundary.Request)
}
