import BPGradEngine
import Foundation

/// Opens the terminal for a viewer, runs it, and restores the terminal whatever happens.
enum ViewerTerminal {
    static func run(noColor: Bool, _ body: (NcursesScreen) -> Void) throws {
        let colorless = noColor || !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw EngineError.invalidValue(field: "bpgrad-tui", message: "the viewer needs a terminal on stdin and stdout; 'bpgrad-tui plot' draws a run as a figure without one")
        }
        guard let screen = NcursesScreen(noColor: colorless) else {
            throw EngineError.invalidValue(field: "bpgrad-tui", message: "the viewer cannot open this terminal (TERM=\(ProcessInfo.processInfo.environment["TERM"] ?? "unset"))")
        }
        defer { screen.close() }
        body(screen)
    }
}
