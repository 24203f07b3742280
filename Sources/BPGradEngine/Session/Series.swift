/// The per-configuration quantities the store keeps over time: the ones the dashboard's
/// charts draw. (Everything else a step records is in its row of the CSV and in `latest`.)
public enum Series: String, Sendable, CaseIterable, Hashable {
    case loss, testLoss = "test_loss", testAccuracy = "test_accuracy"
    case eta, radius, gradNorm = "grad_norm", stepNorm = "step_norm"
    /// Training seconds (pauses left out) at each step, for the time axis.
    case wallTime = "wall_time"

    /// The position in `allCases`, for `SeriesSet`.
    var index: Int {
        switch self {
        case .loss: 0
        case .testLoss: 1
        case .testAccuracy: 2
        case .eta: 3
        case .radius: 4
        case .gradNorm: 5
        case .stepNorm: 6
        case .wallTime: 7
        }
    }
}
