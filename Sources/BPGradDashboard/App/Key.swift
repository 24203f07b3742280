/// A key press as the dashboard understands it; the backend translates terminal input.
public enum Key: Equatable, Sendable {
    case character(Character)
    case up, down, left, right
    case enter, escape, backspace
    /// Ctrl-C arriving as a key (raw mode) rather than a signal.
    case interrupt
}
