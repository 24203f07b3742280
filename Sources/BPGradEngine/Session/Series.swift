/// The per-configuration quantities the store keeps over time.
public enum Series: String, Sendable, CaseIterable, Hashable {
    case loss, testLoss = "test_loss", testAccuracy = "test_accuracy"
    case lr, eta, radius, fStar = "f_star", gradNorm = "grad_norm", stepNorm = "step_norm"
    case lipschitzEstimate = "lipschitz_estimate", samplesPerSecond = "samples_per_second"
    /// Training seconds (pauses left out) at each step, for the time axis.
    case wallTime = "wall_time"
}
