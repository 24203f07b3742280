import CKernels
/// Adadelta (Zeiler, 2012), exactly as `torch.optim.Adadelta`.
///
///     g     = grad + weight_decay * x
///     s_t   = rho * s_{t-1} + (1 - rho) * g^2
///     d     = sqrt(u_{t-1} + eps) / sqrt(s_t + eps) * g
///     u_t   = rho * u_{t-1} + (1 - rho) * d^2
///     x     = x - lr * d
///
/// Defaults: lr 1.0, rho 0.9, eps 1e-6, weight_decay 0.
public final class Adadelta: Solver {
    public static let kind = "adadelta"
    public static let displayName = "Adadelta"
    public static let hyperparameters: [HyperparameterInfo] = [
        .positive("lr", 1.0, "coefficient scaling delta"),
        .fraction("rho", 0.9, "decay of the running averages", closedAbove: true),
        .positive("eps", 1e-6, "added inside the square roots"),
        .nonNegative("weight_decay", 0, "L2 penalty added to the gradient"),
    ]

    public var hyper = Hyperparameters(solver: kind, schema: hyperparameters)
    private var squareAvg: FloatBuffer?, accDelta: FloatBuffer?

    public init() {}

    public func reset() { squareAvg = nil; accDelta = nil }

    public func step(parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafeMutablePointer<Float>, count n: Int,
                     context: StepContext) -> SolverTelemetry {
        // Coefficients such as 1 - rho are formed in Double and rounded once, as PyTorch does.
        let lr = Float(hyper.number("lr")), rho = Float(hyper.number("rho")), eps = Float(hyper.number("eps"))
        let oneMinusRho = Float(1 - hyper.number("rho"))
        let s = SolverKernels.state(&squareAvg, count: n), u = SolverKernels.state(&accDelta, count: n)
        let sums = bpg_adadelta(p, g, s, u, n, Float(hyper.number("weight_decay")), lr, rho, oneMinusRho, eps)
        var telemetry = SolverTelemetry()
        telemetry.lr = hyper.number("lr")
        telemetry.gradNorm = sums.gradSquared.squareRoot()
        telemetry.stepNorm = sums.stepSquared.squareRoot()
        return telemetry
    }
}
