/// Where a value falls on an axis from `lower` to `upper`, for the terminal charts and the
/// figures: as a fraction of the axis, or as one of `count` dot or pixel positions.
///
/// Any finite bounds work, however far apart: the span of -1e308 and 1e308 overflows a double,
/// so it is then taken on halves. A NaN value has no position (nil); an infinite or far-away
/// one is clamped just outside the axis, so converting it to an Int can never trap.
public struct AxisScale: Sendable, Equatable {
    public let lower: Double
    public let upper: Double
    private let halved: Bool

    /// Nil unless both bounds are finite and `lower < upper`.
    public init?(_ lower: Double, _ upper: Double) {
        guard lower.isFinite, upper.isFinite, lower < upper else { return nil }
        self.lower = lower
        self.upper = upper
        halved = !(upper - lower).isFinite
        // Bounds a subnormal apart: their halves can round together, their difference cannot.
        guard halved ? upper * 0.5 - lower * 0.5 > 0 : upper - lower > 0 else { return nil }
    }

    /// 0 at `lower`, 1 at `upper`, beyond for values outside (±infinity for infinite values);
    /// nil for NaN.
    public func fraction(_ v: Double) -> Double? {
        guard !v.isNaN else { return nil }
        let f = halved ? (v * 0.5 - lower * 0.5) / (upper * 0.5 - lower * 0.5) : (v - lower) / (upper - lower)
        return f.isNaN ? nil : f
    }

    /// The nearest of `count` evenly spaced positions (0 at `lower`, count - 1 at `upper`),
    /// clamped to -1...count so that a value outside the axis stays outside; nil for NaN.
    public func index(_ v: Double, count: Int) -> Int? {
        guard let f = fraction(v) else { return nil }
        let p = (f * Double(max(count - 1, 0))).rounded()
        return Int(Swift.min(Double(count), Swift.max(-1, p)))
    }

    /// Like `index`, but counted from the top (`upper` at 0), as rows are.
    public func row(_ v: Double, count: Int) -> Int? {
        guard let f = fraction(v) else { return nil }
        let p = ((1 - f) * Double(max(count - 1, 0))).rounded()
        return Int(Swift.min(Double(count), Swift.max(-1, p)))
    }

    /// `lower - pad ... upper + pad` kept finite; `pad` is a share of the span, taken without
    /// overflow. Widens a constant axis around its value.
    public static func padded(_ lower: Double, _ upper: Double, by share: Double) -> (Double, Double) {
        let big = Double.greatestFiniteMagnitude
        let pad = upper * share - lower * share
        return (Swift.max(-big, lower - pad), Swift.min(big, upper + pad))
    }
}
