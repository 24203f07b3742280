/// A series of any length kept in bounded memory for drawing: consecutive points are grouped
/// into at most `capacity` buckets, each keeping its first, lowest, highest and last point in
/// their order (so the drawn line keeps every spike). When the buckets are full, neighbours
/// merge pairwise and each new bucket covers twice as many points.
struct SeriesAccumulator: Sendable {
    private struct Entry: Sendable { var x: Double, y: Double, n: Int }

    private struct Bucket: Sendable {
        var first: Entry, low: Entry, high: Entry, last: Entry
        var count: Int

        init(_ e: Entry) { first = e; low = e; high = e; last = e; count = 1 }

        mutating func absorb(_ e: Entry) {
            if e.y < low.y { low = e }
            if e.y > high.y { high = e }
            last = e
            count += 1
        }

        mutating func absorb(_ b: Bucket) {
            if b.low.y < low.y { low = b.low }
            if b.high.y > high.y { high = b.high }
            last = b.last
            count += b.count
        }
    }

    let capacity: Int
    private var buckets: [Bucket] = []
    private var open: Bucket?
    private var width = 1
    private(set) var count = 0

    init(capacity: Int = 4096) {
        precondition(capacity >= 2, "capacity must be at least 2")
        self.capacity = capacity
    }

    var isEmpty: Bool { count == 0 }

    /// Adds a point; non-finite values are not kept.
    mutating func append(x: Double, y: Double) {
        guard x.isFinite, y.isFinite else { return }
        let e = Entry(x: x, y: y, n: count)
        count += 1
        if open == nil { open = Bucket(e) } else { open!.absorb(e) }
        if open!.count >= width {
            buckets.append(open!)
            open = nil
            if buckets.count >= capacity {
                buckets = buckets.mergedPairs { $0.absorb($1) }
                width *= 2
            }
        }
    }

    /// The kept points in their original order, each transformed by `mapX`.
    func points(mapX: (Double) -> Double = { $0 }) -> [(x: Double, y: Double)] {
        var out: [(x: Double, y: Double)] = []
        out.reserveCapacity(4 * (buckets.count + 1))
        var emitted = -1
        for b in buckets + (open.map { [$0] } ?? []) {
            let lowFirst = b.low.n <= b.high.n
            for e in [b.first, lowFirst ? b.low : b.high, lowFirst ? b.high : b.low, b.last] where e.n > emitted {
                out.append((mapX(e.x), e.y))
                emitted = e.n
            }
        }
        return out
    }
}
