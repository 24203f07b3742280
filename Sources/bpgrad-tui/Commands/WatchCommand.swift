import ArgumentParser
import BPGradEngine
import Foundation

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow a run another process is writing, live, and steer it through its commands.jsonl."
    )

    @Argument(help: "The run directory (it may not exist yet: watch waits for it).")
    var directory: String

    @Option(name: .long, help: "Frames per second.")
    var fps = 10

    @Flag(name: .customLong("no-color"), help: "No colours (also when NO_COLOR is set).")
    var noColor = false

    func validate() throws {
        guard (1...120).contains(fps) else { throw ValidationError("--fps must be between 1 and 120, got \(fps)") }
    }

    func run() throws {
        do { try NcursesScreen.checkTerminal() } catch {
            throw error.explained(view: "the viewer", headless: "'bpgrad-tui plot' draws a run as a figure without one")
        }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), !isDir.boolValue {
            throw EngineError.io(path: directory, message: "is a file, not a run directory")
        }
        var overlay = RunOverlay(paths: [directory])
        // A first frame with everything written so far; then the frame loop follows.
        try overlay.load()
        try ViewerTerminal.run(noColor: noColor) { screen in
            RunViewerApp(screen: screen, overlay: overlay, paths: [directory], follow: true, fps: fps).run()
        }
    }
}
