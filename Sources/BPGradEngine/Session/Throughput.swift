/// Samples per second as every view shows it: over the last few seconds of training while a
/// configuration runs, and its whole mean (samples / training time, the CSV's `wall_ms`) once
/// it has stopped. Computed here only, so the table, the header and summary.json agree.
public struct Throughput: Sendable, Equatable {
    /// How much recent training time the running rate looks at.
    public static let window = 2.0

    private var marks: [(seconds: Double, samples: Int)] = []
    /// Totals since this configuration's own start (a fork's since the fork).
    public private(set) var samples = 0
    public private(set) var seconds = 0.0
    private var baseSeconds = 0.0

    public init(startSeconds: Double = 0) { baseSeconds = startSeconds }

    public static func == (a: Self, b: Self) -> Bool { a.samples == b.samples && a.seconds == b.seconds }

    /// One step of `count` samples ended at `trainingSeconds` (the run's clock, pauses left
    /// out); true when it started a new mark (at most every 50 ms of training).
    @discardableResult
    public mutating func add(samples count: Int, at trainingSeconds: Double) -> Bool {
        samples += count
        seconds = max(0, trainingSeconds - baseSeconds)
        var marked = false
        if let last = marks.last, seconds - last.seconds < 0.05 { marks[marks.count - 1] = (seconds, samples) } else {
            marks.append((seconds, samples))
            marked = true
        }
        if let first = marks.first, seconds - first.seconds > 2 * Self.window { marks.removeFirst(marks.count / 2) }
        return marked
    }

    /// The whole run's mean.
    public var mean: Double { seconds > 0 ? Double(samples) / seconds : 0 }

    /// The rate over about the last `window` seconds of training (the mean early on).
    public var recent: Double {
        guard let last = marks.last, let first = marks.first(where: { last.seconds - $0.seconds <= Self.window }),
              last.seconds - first.seconds > 0.2 else { return mean }
        return Double(last.samples - first.samples) / (last.seconds - first.seconds)
    }

    public func rate(running: Bool) -> Double { running ? recent : mean }
}
