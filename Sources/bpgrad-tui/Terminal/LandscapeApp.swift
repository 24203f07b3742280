import BPGradDashboard
import BPGradEngine
import Foundation

/// The landscape view's event loop (filled in below).
enum LandscapeApp {
    static func run(landscape: LandscapeRun, steps: Int, fps: Int, noColor: Bool) throws {
        throw EngineError.invalidValue(field: "landscape", message: "the interactive view is not built yet; use --headless")
    }
}
