import Dispatch
import Foundation

/// Turns SIGINT, SIGTERM and SIGHUP into a call on the main queue's timeline instead of an
/// abrupt exit, so runs flush their files (and the dashboard restores the terminal).
final class SignalStopper {
    private var sources: [DispatchSourceSignal] = []

    init(signals: [Int32] = [SIGINT, SIGTERM, SIGHUP], queue: DispatchQueue = .global(), handler: @escaping @Sendable () -> Void) {
        Self.ignoreFileSizeLimitSignal()
        for s in signals {
            signal(s, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: s, queue: queue)
            source.setEventHandler(handler: handler)
            source.resume()
            sources.append(source)
        }
    }

    /// A write past `ulimit -f` raises SIGXFSZ, whose default action kills the process in the
    /// middle of a row; ignored, the write fails with EFBIG instead, which the writers report
    /// as an error (exit code 1) after cutting the file back to its last whole row.
    static func ignoreFileSizeLimitSignal() {
        signal(SIGXFSZ, SIG_IGN)
    }

    func cancel() {
        for s in sources { s.cancel() }
        sources.removeAll()
    }
}
