import Foundation

/// TensorBoard's debiased exponential moving average: after n values the running average
/// divided by 1 - w^n, so the first values are not pulled toward zero. The table's train loss,
/// the dashboard's smoothing and `plot --smooth` all use this one.
public struct DebiasedEMA: Sendable, Equatable {
    public let weight: Double
    private var raw = 0.0, count = 0.0

    public init(weight: Double) { self.weight = weight }

    /// Adds `y` and returns the smoothed value; a non-finite `y` is returned as it is and
    /// leaves the average alone.
    public mutating func add(_ y: Double) -> Double {
        guard y.isFinite else { return y }
        raw = raw * weight + (1 - weight) * y
        count += 1
        return raw / (1 - pow(weight, count))
    }
}
