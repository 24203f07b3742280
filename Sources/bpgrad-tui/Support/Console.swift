import BPGradEngine
import Foundation

/// Plain output helpers for the headless commands.
enum Console {
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Says how the data was split when the preset did not give a test set.
    static func noteSplit(_ data: DataSplit) {
        if let note = data.note { error("note: dataset \(data.name): \(note)") }
    }

    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Columns of the terminal on stderr (80 when it cannot tell).
    static var width: Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    static func bar(_ fraction: Double, width: Int) -> String {
        let f = min(max(fraction, 0), 1), filled = Int((f * Double(width)).rounded(.down))
        return String(repeating: "█", count: filled) + String(repeating: " ", count: width - filled)
    }
}
