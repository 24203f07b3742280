import Foundation

/// "Nice" axis ticks and their labels, for the terminal charts and the figures alike.
///
/// Linear axes get ticks at whole multiples of a 1-2-5 step (0, 0.5, 1, 1.5; never 0.935),
/// log axes at whole powers of ten, evenly spaced (every 2nd, 5th, 10th... decade when there
/// are many). Labels on one axis share one format and one number of decimals. All functions
/// are pure; non-finite or inverted input gives no ticks rather than a trap.
public enum AxisTicks {
    public struct Tick: Sendable, Equatable {
        public var value: Double
        public var label: String
        /// On a log axis, the power of ten this tick is (value = 10^power), so a renderer can
        /// set the exponent as a superscript; nil elsewhere.
        public var power: Int?

        public init(value: Double, label: String, power: Int? = nil) {
            self.value = value; self.label = label; self.power = power
        }
    }

    /// The 1-2-5 step that divides `span` into about `count` intervals (d3's rule: the
    /// candidate nearest on a log scale), or nil for a span that is not finite and positive.
    public static func step(span: Double, count: Int) -> Double? {
        guard span.isFinite, span > 0 else { return nil }
        return step(interval: span / Double(max(count, 1)))
    }

    /// The 1-2-5 value nearest to a raw interval.
    private static func step(interval raw: Double) -> Double? {
        guard raw.isFinite, raw > 0 else { return nil }
        let power = (log10(raw)).rounded(.down)
        let base = pow(10, power)
        guard base.isFinite, base > 0 else { return nil }
        let error = raw / base
        let factor: Double = error >= 50.squareRoot() ? 10 : error >= 10.squareRoot() ? 5 : error >= 2.squareRoot() ? 2 : 1
        return factor * base
    }

    /// Ticks at multiples of a 1-2-5 step between `lower` and `upper` (inclusive), about
    /// `count` of them (at least 2 are aimed for). A constant range (`lower == upper`) is
    /// widened first as `axisRange` does; `domain` (e.g. 0...1 for accuracy) drops ticks
    /// outside it. Empty for non-finite bounds.
    public static func linear(from lower: Double, to upper: Double, count: Int = 5, domain: ClosedRange<Double>? = nil) -> [Tick] {
        guard lower.isFinite, upper.isFinite else { return [] }
        var lo = Swift.min(lower, upper), hi = Swift.max(lower, upper)
        if hi - lo <= 1e-12 * Swift.max(1, abs(lo)) { (lo, hi) = widenConstant(lo) }
        // Divided first: the span of two huge bounds of opposite sign can overflow.
        let n = Double(Swift.max(count, 2))
        guard let step = step(interval: hi / n - lo / n) else { return [] }
        let first = (lo / step).rounded(.up), last = (hi / step).rounded(.down)
        // Multiples beyond 2^52 are no longer distinct doubles (a tiny span far from zero).
        guard last >= first, Swift.max(abs(first), abs(last)) < 4e15, last - first <= 10_000 else {
            return distinctTicks([lo, hi], step: hi - lo, domain: domain)
        }
        // For steps below 1, divide by the inverse so 3 x 0.1 prints as 0.3, not 0.30000000000000004.
        let inverse = step < 1 && (1 / step).isFinite ? (1 / step).rounded() : 0
        var values: [Double] = []
        var i = first
        while i <= last {
            values.append(inverse > 0 ? i / inverse : i * step)
            i += 1
        }
        return distinctTicks(values, step: step, domain: domain)
    }

    /// Ticks for a log10 axis over positive data from `lower` to `upper`: whole powers of ten,
    /// thinned to every 2nd, 5th, 10th, 20th... decade so that at most `count` remain. With
    /// fewer than two powers of ten in range it falls back to 1, 2 and 5 times a power of ten,
    /// and within less than that to linear ticks. Empty for bounds that are not finite and
    /// positive.
    public static func log(from lower: Double, to upper: Double, count: Int = 5) -> [Tick] {
        guard lower.isFinite, upper.isFinite, lower > 0, upper > 0 else { return [] }
        let lo = Swift.min(lower, upper), hi = Swift.max(lower, upper)
        let target = Swift.max(count, 2)
        let e0 = Int((log10(lo) - 1e-9).rounded(.up)), e1 = Int((log10(hi) + 1e-9).rounded(.down))
        if e1 - e0 + 1 >= 2 {
            var every = 1
            for k in [1, 2, 5, 10, 20, 50, 100, 200] {
                every = k
                if multiples(of: k, from: e0, to: e1).count <= target { break }
            }
            let powers = multiples(of: every, from: e0, to: e1)
            let plain = powers.allSatisfy { (-2...3).contains($0) }  // as powerOfTenLabel, one format per axis
            return powers.map { e in
                Tick(value: pow(10, Double(e)), label: plain ? plainPower(e) : "1e\(e)", power: e)
            }
        }
        // Within about one decade: 1, 2 and 5 times the powers of ten in range.
        var values: [Double] = []
        for e in Int(log10(lo).rounded(.down))...Int(log10(hi).rounded(.down)) {
            for m in [1.0, 2, 5] {
                let v = m * pow(10, Double(e))
                if v >= lo * (1 - 1e-12), v <= hi * (1 + 1e-12) { values.append(v) }
            }
        }
        if values.count > target { values = values.filter { v in (v / pow(10, log10(v).rounded(.down))).rounded() != 2 } }
        if values.count >= 2 {
            let smallest = pow(10, log10(values[0]).rounded(.down))
            return zip(values, labels(values, step: smallest)).map { Tick(value: $0, label: $1) }
        }
        return linear(from: lo, to: hi, count: count)
    }

    /// How far a log axis reaches below the top of the visible data, in decades. A series that
    /// collapses towards 0 (Adam's loss reaching 1e-170, a step size that underflows) would
    /// otherwise stretch the axis over a hundred decades and flatten every other line. Eight
    /// decades hold every loss, step size and gradient norm a run moves through while it still
    /// learns (2 down to 1e-6 is under seven), and float32, in which training computes, has
    /// about seven significant digits: a value more than eight decades below the largest one
    /// shown is beyond anything the rest of the chart could be compared with. Values below the
    /// bottom are drawn on the bottom edge, and the chart says so.
    public static let logDecades = 8.0

    /// The bottom of a log axis whose top is `top` (in log10 units): the lowest whole power of
    /// ten at most `logDecades` below it. Nil for a top that is not finite.
    public static func logBottom(top: Double) -> Double? {
        guard top.isFinite else { return nil }
        return (top - logDecades).rounded(.up)
    }

    /// "1e-8", or a plain number from 0.01 to 1000, as log axes label their powers of ten.
    public static func powerOfTenLabel(_ e: Int) -> String {
        (-2...3).contains(e) ? plainPower(e) : "1e\(e)"
    }

    /// The range an axis shows for data from `min` to `max`: a constant widened (by a tenth of
    /// its value, or to -1...1 around zero; half a decade each way on a log axis), otherwise
    /// padded by `padding` of the span on each side (never below zero for data that is never
    /// negative), and kept inside `domain` when one is given. On a log axis the bounds must be
    /// positive and the padding is in decades. Nil for non-finite input (or non-positive on a
    /// log axis).
    public static func axisRange(min: Double, max: Double, log: Bool = false, padding: Double = 0.05,
                                 domain: ClosedRange<Double>? = nil) -> ClosedRange<Double>? {
        guard min.isFinite, max.isFinite else { return nil }
        var lo = Swift.min(min, max), hi = Swift.max(min, max)
        if log {
            guard lo > 0 else { return nil }
            var l0 = log10(lo), l1 = log10(hi)
            if l1 - l0 < 1e-9 { l0 -= 0.5; l1 += 0.5 } else { let pad = (l1 - l0) * padding; l0 -= pad; l1 += pad }
            lo = pow(10, l0); hi = pow(10, l1)
        } else if hi - lo <= 1e-12 * Swift.max(1, abs(lo)) {
            (lo, hi) = widenConstant(lo)
        } else {
            // Padded without overflow: the span of -1e308 and 1e308 is infinite.
            let (a, b) = AxisScale.padded(lo, hi, by: padding)
            lo = lo >= 0 ? Swift.max(0, a) : a
            hi = b
        }
        if let domain {
            let clampedLo = Swift.max(lo, domain.lowerBound), clampedHi = Swift.min(hi, domain.upperBound)
            if clampedLo < clampedHi { lo = clampedLo; hi = clampedHi }
        }
        guard lo.isFinite, hi.isFinite, lo < hi else { return nil }
        return lo...hi
    }

    /// Labels for the values of one axis whose ticks are `step` apart, all in one format with
    /// the same number of decimals: plain decimals (`0.0 0.5 1.0 1.5`); a k/M/G/T suffix from
    /// 10^4 up (`0 200k 400k`, `0.0M 0.5M` would read worse, so an exact zero is `0`); and
    /// exponent notation with one exponent for the axis below 10^-3 and from 10^15
    /// (`0 2e-5 4e-5`).
    public static func labels(_ values: [Double], step: Double) -> [String] {
        let largest = values.map(abs).max() ?? 0
        guard largest > 0, step.isFinite, step > 0 else { return values.map { _ in "0" } }
        func decimals(_ unit: Double) -> Int {
            // A unit of 0 or infinity (a subnormal step over a huge scale) would make Int() trap.
            let e = (log10(unit) + 1e-9).rounded(.down)
            return e.isFinite ? Swift.min(15, Swift.max(0, -Int(Swift.max(-400, Swift.min(400, e))))) : 0
        }
        func fixed(_ v: Double, _ d: Int) -> String {
            let text = String(format: "%.\(d)f", v)
            // "-0.0" for a value that rounds to zero reads as a different tick.
            return text.hasPrefix("-") && text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) ? String(text.dropFirst()) : text
        }
        if largest >= 1e15 || largest < 1e-3 {
            // 10^-324 is 0 as a double: subnormal values share the scale 10^-323.
            let e = Swift.max(-323, Int(log10(largest).rounded(.down)))
            let scale = pow(10, Double(e))
            let d = decimals(step / scale)
            return values.map { $0 == 0 ? "0" : fixed($0 / scale, d) + "e\(e)" }
        }
        if largest >= 1e4 {
            let tier = Swift.min(4, Int((log10(largest) + 1e-9).rounded(.down)) / 3)
            let scale = pow(1000, Double(tier)), suffix = ["", "k", "M", "G", "T"][tier]
            let d = decimals(step / scale)
            return values.map { $0 == 0 ? "0" : fixed($0 / scale, d) + suffix }
        }
        let d = decimals(step)
        return values.map { fixed($0, d) }
    }

    // MARK: helpers

    private static func widenConstant(_ v: Double) -> (Double, Double) {
        let pad = Swift.max(abs(v) * 0.1, 1e-6), big = Double.greatestFiniteMagnitude
        return v == 0 ? (-1, 1) : (Swift.max(-big, v - pad), Swift.min(big, v + pad))
    }

    private static func multiples(of k: Int, from e0: Int, to e1: Int) -> [Int] {
        var first = e0
        while first % k != 0 { first += 1 }
        return first > e1 ? [] : Array(stride(from: first, through: e1, by: k))
    }

    private static func plainPower(_ e: Int) -> String {
        e >= 0 ? "1" + String(repeating: "0", count: e) : "0." + String(repeating: "0", count: -e - 1) + "1"
    }

    /// Normalises -0, applies the domain, drops duplicates and labels what is left.
    private static func distinctTicks(_ values: [Double], step: Double, domain: ClosedRange<Double>?) -> [Tick] {
        var kept: [Double] = []
        for v in values {
            let value = v == 0 ? 0 : v
            if let domain, !domain.contains(value) { continue }
            if kept.last != value { kept.append(value) }
        }
        let text = labels(kept, step: step)
        var seen = Set<String>()
        return zip(kept, text).compactMap { seen.insert($1).inserted ? Tick(value: $0, label: $1) : nil }
    }
}
