import BPGradEngine

/// What a key asks the outside world to do; the executable carries it out.
public enum Effect: Sendable, Equatable {
    /// A command for one solver (by index) or, with nil, all of them.
    case session(SessionCommand, solver: Int?)
    case quit
    /// Write the current screen as text.
    case export
    /// Load this preset file and restart on it.
    case loadPreset(path: String)
}
