import BPGradEngine

/// What a key asks the outside world to do; the executable carries it out.
public enum Effect: Sendable, Equatable {
    /// A command for one configuration (by index) or, with nil, all of them.
    case session(SessionCommand, configuration: Int?)
    /// Fork this configuration at its current step.
    case fork(Int)
    /// Start the run again from the same weights, in a new run directory.
    case restart
    case quit
    /// Write the current screen as text (and the charts as a figure).
    case export
    /// Load this preset file and restart on it.
    case loadPreset(PresetLocation)
}
