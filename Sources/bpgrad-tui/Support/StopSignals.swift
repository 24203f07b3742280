import ArgumentParser
import BPGradEngine
import Foundation

/// SIGINT, SIGTERM and SIGHUP stop a headless run cleanly (its files flushed, its table or
/// summary printed); the first one caught then decides the exit code, 128 + its number, as a
/// shell expects of a process that a signal ended (`train`, `compare`, `sweep`).
final class StopSignals {
    private let caught = Locked<Int32?>(nil)
    private var stoppers: [SignalStopper] = []

    init(stop: @escaping @Sendable () -> Void) {
        let caught = self.caught
        stoppers = [SIGINT, SIGTERM, SIGHUP].map { s in
            SignalStopper(signals: [s]) {
                caught.withLock { $0 = $0 ?? s }
                stop()
            }
        }
    }

    /// The first signal that arrived, if any.
    var signal: Int32? { caught.withLock { $0 } }

    func cancel() {
        for s in stoppers { s.cancel() }
    }

    /// Throws ExitCode(128 + signal) when a signal stopped the run.
    func exitIfStopped() throws {
        if let signal { throw ExitCode(128 + signal) }
    }
}
