/// Reduces a long series to what a pixel column can show: the first, lowest, highest and last
/// point of each column, in their original order (the M4 rule), so the drawn line looks the
/// same as with every point while a million points become at most four per column.
enum ColumnDecimator {
    /// `points` in drawing order; x mapped to `columns` columns over `x0...x1`. A point with a
    /// non-finite y is kept as a break (NaN, NaN) so the line is interrupted there.
    static func reduce(_ points: [(x: Double, y: Double)], x0: Double, x1: Double, columns: Int) -> [(x: Double, y: Double)] {
        guard points.count > 4 * columns, columns > 0, x1 > x0 else { return points }
        var out: [(x: Double, y: Double)] = []
        out.reserveCapacity(4 * columns + 16)
        // Over halves when the span overflows (x of ±1e308); the column is clamped either way.
        let halved = !(x1 - x0).isFinite
        let scale = Double(columns) / (halved ? x1 * 0.5 - x0 * 0.5 : x1 - x0)
        var column = Int.min
        var first = 0, low = 0, high = 0, last = 0
        var open = false

        func flush() {
            guard open else { return }
            var emitted = -1
            for i in [first, min(low, high), max(low, high), last] where i > emitted {
                out.append(points[i])
                emitted = i
            }
            open = false
        }

        for (i, p) in points.enumerated() {
            guard p.y.isFinite, p.x.isFinite else {
                flush()
                if out.last.map({ $0.y.isFinite }) ?? false { out.append((.nan, .nan)) }
                column = Int.min
                continue
            }
            let offset = halved ? p.x * 0.5 - x0 * 0.5 : p.x - x0
            let position = (offset * scale).rounded(.down)
            let c = position.isNaN ? -1 : Int(max(-1, min(Double(columns), position)))
            if c != column || !open {
                flush()
                column = c; first = i; low = i; high = i; last = i; open = true
            } else {
                if p.y < points[low].y { low = i }
                if p.y > points[high].y { high = i }
                last = i
            }
        }
        flush()
        return out
    }
}
