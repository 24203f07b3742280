import BPGradDashboard
import CNcurses
import Foundation

/// The only code that talks to ncurses: it blits a `Grid` and reads keys. Main thread only.
final class NcursesScreen: TerminalScreen {
    enum ColorMode { case none, basic, extended }

    let colorMode: ColorMode
    private var pairs: [Int: Int16] = [:]
    private var nextPair: Int16 = 1
    private var open = true

    /// Fails (without touching the terminal) when stdin or stdout is not a terminal.
    init?(noColor: Bool) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { return nil }
        setlocale(LC_ALL, "")
        set_escdelay(25)
        guard let out = fdopen(STDOUT_FILENO, "w"), let input = fdopen(STDIN_FILENO, "r"), newterm(nil, out, input) != nil else { return nil }
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
    }

    var size: (width: Int, height: Int) { (Int(bp_cols()), Int(bp_lines())) }

    /// Restores the terminal; safe to call more than once.
    func close() {
        guard open else { return }
        open = false
        endwin()
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
