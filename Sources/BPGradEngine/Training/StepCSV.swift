import Foundation

/// The per-step CSV of a run directory (docs/run-format.md): its header, and one line per
/// `StepRecord`, written whole.
public enum StepCSV {
    public static let columns = ["step", "epoch", "solver", "loss", "test_loss", "test_accuracy", "lr", "eta", "radius", "f_star",
                                 "grad_norm", "step_norm", "lipschitz", "momentum", "rho", "lipschitz_estimate", "wall_ms"]
    public static let header = columns.joined(separator: ",")

    /// The row for `record` of the configuration named `name` (no newline).
    public static func line(_ r: StepRecord, name: String) -> String {
        let f = NumberText.csv
        let t = r.telemetry
        return [String(r.step), String(r.epoch), name, f(r.loss), f(r.test?.loss), f(r.test?.accuracy), f(t.lr), f(t.eta), f(t.radius),
                f(t.fStar), f(t.gradNorm), f(t.stepNorm), f(t.lipschitz), f(t.momentum), f(t.rho), f(t.lipschitzEstimate),
                String(format: "%.3f", r.wallMilliseconds)].joined(separator: ",")
    }
}
