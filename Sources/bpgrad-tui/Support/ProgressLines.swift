import Foundation

/// Progress on stderr: on a terminal, a block of lines redrawn in place (each cut to the
/// terminal's width, so nothing wraps and scrolls); piped, plain lines every few seconds.
final class ProgressLines {
    private let live = Console.stderrIsTerminal
    private var drawn = 0
    private var lastPlain = -Double.infinity
    let plainInterval: Double

    init(plainInterval: Double = 5) { self.plainInterval = plainInterval }

    /// Shows `lines` now (terminal) or when the interval has passed (`force` prints anyway).
    func show(_ lines: [String], at seconds: Double, force: Bool = false) {
        if live {
            let width = max(10, Console.width - 1)
            var out = drawn > 0 ? "\u{1B}[\(drawn)A" : ""
            for line in lines { out += "\r\u{1B}[2K" + String(line.prefix(width)) + "\n" }
            Console.write(out)
            drawn = lines.count
        } else if force || seconds - lastPlain >= plainInterval {
            lastPlain = seconds
            Console.write(lines.map { $0 + "\n" }.joined())
        }
    }
}
