import BPGradDashboard
import BPGradEngine
import CNcurses
import Foundation

/// The only code that talks to ncurses: it blits a `Grid` and reads keys. Main thread only.
final class NcursesScreen: TerminalScreen {
    enum ColorMode { case none, basic, extended }

    let colorMode: ColorMode
    private var pairs: [Int: Int16] = [:]
    private var nextPair: Int16 = 1
    private var open = true

    /// Why there is no screen.
    enum Failure: Error, CustomStringConvertible {
        /// stdin or stdout ("stdin", "stdout") is not a terminal.
        case notATerminal(stream: String)
        /// TERM names a type terminfo does not know; nil: TERM is not set.
        case unknownTerminalType(String?)
        /// There is no terminfo database to look TERM up in.
        case noTerminfoDatabase(String)
        /// ncurses refused the terminal for another reason.
        case cannotStart(String)

        var description: String {
            switch self {
            case .notATerminal(let stream):
                return "\(stream) is not a terminal"
            case .unknownTerminalType(nil):
                return "TERM is not set, so the terminal type is unknown; set it to the terminal's type, for example TERM=xterm-256color"
            case .unknownTerminalType(let name?):
                return "the terminal type '\(name)' (from TERM) is unknown: terminfo has no entry for it. Set TERM to a type this system knows, for example xterm-256color ('toe -a' lists them), or install its entry (Debian: ncurses-term)"
            case .noTerminfoDatabase(let name):
                return "no terminfo database was found to look up the terminal type '\(name)' (Debian: apt-get install ncurses-base)"
            case .cannotStart(let name):
                return "ncurses could not start on this terminal (TERM=\(name))"
            }
        }

        /// The error a command prints: `view` is what needs the terminal ("the dashboard"),
        /// `headless` what to do without one.
        func explained(view: String, headless: String) -> EngineError {
            if case .notATerminal = self {
                return .invalidValue(field: "bpgrad-tui", message: "\(view) needs a terminal on stdin and stdout (\(self)); \(headless)")
            }
            return .invalidValue(field: "bpgrad-tui", message: "\(view) cannot start: \(self)")
        }
    }

    /// Checks that stdin and stdout are terminals and that terminfo knows TERM, touching
    /// neither the terminal nor any signal handler: commands call it before they start anything.
    static func checkTerminal() throws(Failure) {
        guard isatty(STDIN_FILENO) == 1 else { throw .notATerminal(stream: "stdin") }
        guard isatty(STDOUT_FILENO) == 1 else { throw .notATerminal(stream: "stdout") }
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        guard !term.isEmpty else { throw .unknownTerminalType(nil) }
        switch bp_terminal_type_known(term) {
        case 1: return
        case -1: throw .noTerminfoDatabase(term)
        default: throw .unknownTerminalType(term)
        }
    }

    /// Throws (without touching the terminal) when stdin or stdout is not a terminal or TERM
    /// is unknown. Once the screen is up, a crash still restores the terminal (`TerminalRescue`).
    /// Colours are off with `noColor` (--no-color) or when NO_COLOR is set to anything.
    init(noColor flag: Bool) throws(Failure) {
        let noColor = flag || !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        try Self.checkTerminal()
        // The modes the shell had, for the rescue to put back if a crash skips endwin().
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        setlocale(LC_ALL, "")
        set_escdelay(25)
        guard let out = fdopen(STDOUT_FILENO, "w"), let input = fdopen(STDIN_FILENO, "r"), newterm(nil, out, input) != nil else {
            throw .cannotStart(ProcessInfo.processInfo.environment["TERM"] ?? "")
        }
        raw()
        noecho()
        nonl()
        keypad(bp_stdscr(), true)
        curs_set(0)
        if !noColor, has_colors() {
            start_color()
            use_default_colors()
            colorMode = bp_colors() >= 256 ? .extended : .basic
        } else {
            colorMode = .none
        }
        TerminalRescue.install(saved: saved)
    }

    var size: (width: Int, height: Int) { (Int(bp_cols()), Int(bp_lines())) }

    /// Restores the terminal; safe to call more than once.
    func close() {
        guard open else { return }
        open = false
        endwin()
        TerminalRescue.uninstall()
    }

    deinit { close() }

    func draw(_ grid: Grid) {
        erase()
        for y in 0..<grid.height {
            var x = 0
            while x < grid.width {
                // One call per run of cells with the same style.
                let style = grid[x, y].style
                var run = [wchar_t]()
                var end = x
                while end < grid.width, grid[end, y].style == style {
                    for scalar in grid[end, y].symbol.unicodeScalars.prefix(1) { run.append(wchar_t(bitPattern: scalar.value)) }
                    end += 1
                }
                run.append(0)
                apply(style)
                _ = run.withUnsafeBufferPointer { mvaddwstr(Int32(y), Int32(x), $0.baseAddress) }
                x = end
            }
        }
        attr_set(bp_attr_normal(), 0, nil)
        refresh()
    }

    private func apply(_ style: Style) {
        var attrs = bp_attr_normal()
        if style.bold { attrs |= bp_attr_bold() }
        if style.dim { attrs |= bp_attr_dim() }
        if style.reverse { attrs |= bp_attr_reverse() }
        attr_set(attrs, pair(style.fg, style.bg), nil)
    }

    private func number(_ c: Color) -> Int16 {
        switch (colorMode, c) {
        case (_, .reset): return -1
        case (_, .basic(let i)): return Int16(i)
        case (.extended, .indexed(let i)): return Int16(i)
        case (_, .indexed):
            if case .basic(let i) = Palette.basic(c) { return Int16(i) }
            return -1
        }
    }

    private func pair(_ fg: Color, _ bg: Color) -> Int16 {
        guard colorMode != .none else { return 0 }
        let f = number(fg), b = number(bg)
        if f == -1 && b == -1 { return 0 }
        let key = Int(f) * 1000 + Int(b)
        if let p = pairs[key] { return p }
        guard Int(nextPair) < Int(bp_color_pairs()) - 1 else { return 0 }
        let p = nextPair
        nextPair += 1
        init_pair(p, f, b)
        pairs[key] = p
        return p
    }

    /// Waits up to `milliseconds` for input.
    func read(milliseconds: Int) -> TerminalInput? {
        timeout(Int32(max(0, milliseconds)))
        var ch: wint_t = 0
        let r = get_wch(&ch)
        if r == ERR { return nil }
        return KeyCode.input(UInt32(ch), function: r == KEY_CODE_YES)
    }
}
