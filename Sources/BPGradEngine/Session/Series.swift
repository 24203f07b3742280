/// The per-configuration quantities the store keeps over time.
public enum Series: String, Sendable, CaseIterable, Hashable {
    case loss, testLoss = "test_loss", testAccuracy = "test_accuracy"
    case lr, eta, radius, fStar = "f_star", gradNorm = "grad_norm", stepNorm = "step_norm"
    case lipschitzEstimate = "lipschitz_estimate", samplesPerSecond = "samples_per_second"
    /// Training seconds (pauses left out) at each step, for the time axis.
    case wallTime = "wall_time"

    /// The position in `allCases`, for `SeriesSet`.
    var index: Int {
        switch self {
        case .loss: 0
        case .testLoss: 1
        case .testAccuracy: 2
        case .lr: 3
        case .eta: 4
        case .radius: 5
        case .fStar: 6
        case .gradNorm: 7
        case .stepNorm: 8
        case .lipschitzEstimate: 9
        case .samplesPerSecond: 10
        case .wallTime: 11
        }
    }
}
