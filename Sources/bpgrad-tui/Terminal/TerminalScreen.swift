import BPGradDashboard

/// What the apps need of a terminal: its size, a whole frame drawn, and the next key. ncurses
/// is one implementation; tests drive the same apps through a scripted one.
protocol TerminalScreen: AnyObject {
    var size: (width: Int, height: Int) { get }
    func draw(_ grid: Grid)
    /// Waits up to `milliseconds` for input.
    func read(milliseconds: Int) -> TerminalInput?
}
