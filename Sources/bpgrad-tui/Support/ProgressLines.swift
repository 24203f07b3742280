import Foundation

/// Progress on stderr: on a terminal, a block of lines redrawn in place (each cut to the
/// terminal's width, so nothing wraps and scrolls); piped, plain lines every few seconds.
final class ProgressLines {
    private let live: Bool
    private let width: Int
    private let write: (String) -> Void
    private var drawn = 0
    private var lastPlain = -Double.infinity
    let plainInterval: Double

    init(plainInterval: Double = 5, live: Bool = Console.stderrIsTerminal, width: Int = Console.width,
         write: @escaping (String) -> Void = Console.write) {
        self.plainInterval = plainInterval; self.live = live; self.width = width; self.write = write
    }

    /// Shows `lines` now (terminal) or when the interval has passed (`force` prints anyway).
    func show(_ lines: [String], at seconds: Double, force: Bool = false) {
        if live {
            let width = max(10, width - 1)
            var out = drawn > 0 ? "\u{1B}[\(drawn)A" : ""
            for line in lines { out += "\r\u{1B}[2K" + String(line.prefix(width)) + "\n" }
            // Fewer lines than last time (a sweep's finished combinations leave the list):
            // clear what is below, or the table printed next lands on the old lines' ends.
            if lines.count < drawn { out += "\u{1B}[J" }
            write(out)
            drawn = lines.count
        } else if force || seconds - lastPlain >= plainInterval {
            lastPlain = seconds
            write(lines.map { $0 + "\n" }.joined())
        }
    }
}
