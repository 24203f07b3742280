import ArgumentParser
import BPGradEngine
import Foundation

struct ViewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "Open finished run directories in the dashboard; several are overlaid, one line per configuration."
    )

    @Argument(help: "Run directories (from the dashboard, compare, sweep, or bpgrad.RunWriter in Python).")
    var directories: [String]

    @Option(name: .long, help: "Frames per second.")
    var fps = 20

    @Flag(name: .customLong("no-color"), help: "No colours (also when NO_COLOR is set).")
    var noColor = false

    func validate() throws {
        if directories.isEmpty { throw ValidationError("give at least one run directory") }
        guard (1...120).contains(fps) else { throw ValidationError("--fps must be between 1 and 120, got \(fps)") }
    }

    func run() throws {
        do { try NcursesScreen.checkTerminal() } catch {
            throw error.explained(view: "the viewer", headless: "'bpgrad-tui plot' draws a run as a figure without one")
        }
        for d in directories {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: d, isDirectory: &isDir), isDir.boolValue else {
                throw EngineError.io(path: d, message: "is not a run directory (no such directory); 'bpgrad-tui watch' waits for one that does not exist yet")
            }
        }
        var overlay = RunOverlay(paths: directories)
        try overlay.load()
        let rows = overlay.runs.map(\.status.rowsRead).reduce(0, +)
        guard rows > 0 else {
            throw EngineError.io(path: directories.joined(separator: " "), message: "holds no training rows: no <name>.csv with a step column (see docs/run-format.md)")
        }
        try ViewerTerminal.run(noColor: noColor) { screen in
            RunViewerApp(screen: screen, overlay: overlay, paths: directories, follow: false, fps: fps).run()
        }
    }
}
