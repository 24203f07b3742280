import Dispatch

/// Training time: runs while a configuration trains (including a speed cap's waits), stops
/// while it is paused or done, so the clock and the time axis leave pauses out.
struct TrainingClock {
    private var accumulated: Double
    private var since: UInt64?

    init(start seconds: Double = 0) { accumulated = seconds }

    var seconds: Double {
        guard let since else { return accumulated }
        return accumulated + Double(DispatchTime.now().uptimeNanoseconds - since) / 1e9
    }

    mutating func run() { if since == nil { since = DispatchTime.now().uptimeNanoseconds } }

    mutating func hold() {
        accumulated = seconds
        since = nil
    }
}
