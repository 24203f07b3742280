import BPGradDashboard
import BPGradEngine
import Dispatch

/// The one event loop both views share: update, draw at the frame rate, wait for a key until
/// the next frame, hand it over. Ends when a key handler says so, or on SIGINT, SIGTERM or
/// SIGHUP, so callers can always restore the terminal and flush their files.
enum FrameLoop {
    /// - Parameters:
    ///   - update: called once per frame before drawing: the place to change state (step a
    ///     landscape, ask for decision boundaries). Drawing never changes state.
    ///   - draw: called once per frame (and right after a key or a resize).
    ///   - key: returns true to end the loop.
    static func run(screen: any TerminalScreen, fps: Int, update: () -> Void = {}, draw: () -> Void, key: (Key) -> Bool) {
        let stopRequested = Locked(false)
        let signals = SignalStopper { stopRequested.withLock { $0 = true } }
        defer { signals.cancel() }
        let frame = 1000 / max(1, fps)
        var nextFrame = DispatchTime.now()
        while !stopRequested.withLock({ $0 }) {
            let now = DispatchTime.now()
            if now >= nextFrame {
                update()
                draw()
                nextFrame = now + .milliseconds(frame)
            }
            let wait = Int((nextFrame.uptimeNanoseconds &- DispatchTime.now().uptimeNanoseconds) / 1_000_000)
            switch screen.read(milliseconds: min(max(wait, 0), frame)) {
            case .resize?: nextFrame = .now()
            case .key(let k)?:
                if key(k) { return }
                nextFrame = .now()
            case nil: break
            }
        }
    }
}
