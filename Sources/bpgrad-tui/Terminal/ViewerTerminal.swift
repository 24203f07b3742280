import BPGradEngine
import Foundation

/// Opens the terminal for a viewer, runs it, and restores the terminal whatever happens.
enum ViewerTerminal {
    static func run(noColor: Bool, _ body: (NcursesScreen) -> Void) throws {
        let headless = "'bpgrad-tui plot' draws a run as a figure without one"
        let screen: NcursesScreen
        do { screen = try NcursesScreen(noColor: noColor) } catch { throw error.explained(view: "the viewer", headless: headless) }
        defer { screen.close() }
        body(screen)
    }
}
