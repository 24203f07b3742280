import DequeModule

/// A time series of bounded size for runs of any length.
///
/// The newest `recentCapacity` points are kept exactly. Older points are folded into
/// buckets that keep each span's min, max and mean, so a plot of a million steps still
/// shows every spike. When there are more than `bucketCapacity` buckets, neighbours merge
/// pairwise and the bucket width doubles. Memory is therefore at most `recentCapacity`
/// points plus `bucketCapacity + 1` buckets, whatever the length of the run.
public struct DecimatedSeries: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        public var x: Double
        public var y: Double
    }

    /// A span of older points: x from `x0` to `x1`, with the y summary.
    public struct Bucket: Sendable, Equatable {
        public var x0: Double, x1: Double
        public var min: Double, max: Double, sum: Double
        public var count: Int
        public var mean: Double { sum / Double(Swift.max(count, 1)) }

        init(_ p: Point) { x0 = p.x; x1 = p.x; min = p.y; max = p.y; sum = p.y; count = 1 }

        mutating func absorb(_ p: Point) {
            x1 = p.x; min = Swift.min(min, p.y); max = Swift.max(max, p.y); sum += p.y; count += 1
        }

        mutating func absorb(_ b: Bucket) {
            x1 = b.x1; min = Swift.min(min, b.min); max = Swift.max(max, b.max); sum += b.sum; count += b.count
        }
    }

    public let recentCapacity: Int
    public let bucketCapacity: Int
    public private(set) var recent = Deque<Point>()
    public private(set) var buckets: [Bucket] = []
    private var open: Bucket?
    /// How many points each closed bucket summarises (doubles on every merge).
    public private(set) var bucketWidth = 1
    public private(set) var totalCount = 0

    public init(recentCapacity: Int = 2048, bucketCapacity: Int = 2048) {
        precondition(recentCapacity > 0 && bucketCapacity >= 2, "capacities must be positive")
        self.recentCapacity = recentCapacity
        self.bucketCapacity = bucketCapacity
    }

    /// Appends a point; non-finite values are kept in `recent` but never summarised into buckets.
    public mutating func append(x: Double, y: Double) {
        totalCount += 1
        recent.append(Point(x: x, y: y))
        guard recent.count > recentCapacity else { return }
        let old = recent.removeFirst()
        guard old.y.isFinite else { return }
        if var b = open {
            b.absorb(old)
            open = b
        } else {
            open = Bucket(old)
        }
        if let b = open, b.count >= bucketWidth {
            buckets.append(b)
            open = nil
            if buckets.count > bucketCapacity { mergePairs() }
        }
    }

    private mutating func mergePairs() {
        buckets = buckets.mergedPairs { $0.absorb($1) }
        bucketWidth *= 2
    }

    public mutating func removeAll() {
        recent.removeAll(); buckets.removeAll(); open = nil; bucketWidth = 1; totalCount = 0
    }

    public var last: Point? { recent.last }
    public var isEmpty: Bool { recent.isEmpty }

    /// Everything summarised or kept, oldest first: buckets (with the open one) as spans, then exact points.
    public var spans: [Bucket] { open.map { buckets + [$0] } ?? buckets }

    /// The number of stored entries, the quantity the memory bound is about.
    public var storedCount: Int { recent.count + buckets.count + (open == nil ? 0 : 1) }
}
