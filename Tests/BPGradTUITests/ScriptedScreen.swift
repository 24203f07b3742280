@testable import bpgrad_tui
import BPGradDashboard

/// A terminal for tests: a fixed size, every frame kept, and a script of keys, each handed out
/// once a frame has been drawn since the last one (as a person would press them), and waits
/// for something to appear on screen (what a person looks for before the next key).
final class ScriptedScreen: TerminalScreen {
    enum Step { case key(Key), waitFor(String) }

    let size: (width: Int, height: Int)
    private var script: [Step]
    private(set) var frames: [Grid] = []
    private var drawnSinceKey = true

    init(width: Int = 120, height: Int = 40, _ script: [Step]) {
        size = (width, height)
        self.script = script
    }

    convenience init(width: Int = 120, height: Int = 40, keys: [Key]) {
        self.init(width: width, height: height, keys.map { .key($0) })
    }

    var lastFrame: Grid { frames.last ?? Grid(width: 0, height: 0) }

    func draw(_ grid: Grid) {
        frames.append(grid)
        drawnSinceKey = true
        if case .waitFor(let text)? = script.first, grid.description.contains(text) { script.removeFirst() }
    }

    func read(milliseconds: Int) -> TerminalInput? {
        guard drawnSinceKey, case .key(let k)? = script.first else { return nil }
        script.removeFirst()
        drawnSinceKey = false
        return .key(k)
    }
}
