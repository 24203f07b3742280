import BPGradDashboard

/// A key, or a change of the terminal's size.
enum TerminalInput: Equatable {
    case key(Key)
    case resize
}
