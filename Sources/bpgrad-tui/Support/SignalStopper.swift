import Dispatch
import Foundation

/// Turns SIGINT, SIGTERM and SIGHUP into a call on the main queue's timeline instead of an
/// abrupt exit, so runs flush their files (and the dashboard restores the terminal).
final class SignalStopper {
    private var sources: [DispatchSourceSignal] = []

    init(signals: [Int32] = [SIGINT, SIGTERM, SIGHUP], queue: DispatchQueue = .global(), handler: @escaping @Sendable () -> Void) {
        for s in signals {
            signal(s, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: s, queue: queue)
            source.setEventHandler(handler: handler)
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        for s in sources { s.cancel() }
        sources.removeAll()
    }
}
