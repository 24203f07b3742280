import Foundation

/// Plain output helpers for the headless commands.
enum Console {
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Overwrites the current stderr line (terminal) or prints a new one (pipe, file).
    static func status(_ text: String, sameLine: Bool) {
        let line = sameLine ? "\r\u{1B}[2K" + text : text + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--:--" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%02d:%02d", s / 60, s % 60)
    }

    static func bar(_ fraction: Double, width: Int) -> String {
        let f = min(max(fraction, 0), 1), filled = Int((f * Double(width)).rounded(.down))
        return String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
    }
}
