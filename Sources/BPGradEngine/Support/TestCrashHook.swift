import Foundation

/// A hidden hook for the end-to-end test of the terminal rescue (scripts/hostile_e2e.sh):
/// with `BPGRAD_TUI_TEST_CRASH=worker` in the environment a solver worker raises SIGSEGV, with
/// `worker-abort` it calls abort(), at its first step one second after the screen is up (one worker, once). It
/// proves that a crash on a training queue still leaves the shell usable. Without the
/// variable a step pays one check of a constant.
public enum TestCrashHook {
    public enum Mode: String, Sendable {
        case worker
        case workerAbort = "worker-abort"
    }

    public static let mode: Mode? = ProcessInfo.processInfo.environment["BPGRAD_TUI_TEST_CRASH"].flatMap(Mode.init(rawValue:))

    private static let armedAt = Locked<UInt64?>(nil)

    /// The screen is up; the crash comes a second from now. The terminal rescue calls this.
    public static func screenIsUp() {
        guard mode != nil else { return }
        armedAt.withLock { $0 = DispatchTime.now().uptimeNanoseconds }
    }

    /// Solver workers call this once per step.
    @inline(__always)
    public static func workerStep() {
        guard let mode else { return }
        // One worker crashes, as a real fault would; the others train on until the process ends.
        let due = armedAt.withLock { t -> Bool in
            guard let at = t, DispatchTime.now().uptimeNanoseconds - at >= 1_000_000_000 else { return false }
            t = nil
            return true
        }
        guard due else { return }
        switch mode {
        case .worker: raise(SIGSEGV)
        case .workerAbort: abort()
        }
    }
}
