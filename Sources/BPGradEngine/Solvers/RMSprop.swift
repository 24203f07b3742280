import CKernels
/// RMSprop (Hinton), exactly as `torch.optim.RMSprop`.
///
///     g     = grad + weight_decay * x
///     s_t   = alpha * s_{t-1} + (1 - alpha) * g^2
///     c_t   = alpha * c_{t-1} + (1 - alpha) * g            (centered only)
///     a     = sqrt(s_t - c_t^2) + eps   (centered)   or   sqrt(s_t) + eps
///     b_t   = momentum * b_{t-1} + g / a;  x = x - lr * b_t (momentum > 0)
///     x     = x - lr * g / a                                (momentum = 0)
///
/// Defaults: lr 0.01, alpha 0.99, eps 1e-8, momentum 0, centered false, weight_decay 0.
public final class RMSprop: Solver {
    public static let kind = "rmsprop"
    public static let displayName = "RMSprop"
    public static let hyperparameters: [HyperparameterInfo] = [
        .positive("lr", 0.01, "learning rate"),
        .fraction("alpha", 0.99, "smoothing constant", closedAbove: true),
        .positive("eps", 1e-8, "added to the denominator"),
        .fraction("momentum", 0, "momentum factor"),
        .flag("centered", false, "normalise by the estimated variance"),
        .nonNegative("weight_decay", 0, "L2 penalty added to the gradient"),
    ]

    public var hyper = Hyperparameters(solver: kind, schema: hyperparameters)
    private var squareAvg: FloatBuffer?, gradAvg: FloatBuffer?, buffer: FloatBuffer?

    public init() {}

    public func reset() { squareAvg = nil; gradAvg = nil; buffer = nil }

    public func step(parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafeMutablePointer<Float>, count n: Int,
                     context: StepContext) -> SolverTelemetry {
        let lr = Float(hyper.number("lr")), alpha = Float(hyper.number("alpha")), eps = Float(hyper.number("eps"))
        let mu = Float(hyper.number("momentum")), centered = hyper.flag("centered")
        let s = SolverKernels.state(&squareAvg, count: n)
        let c = centered ? SolverKernels.state(&gradAvg, count: n) : nil
        let b = mu > 0 ? SolverKernels.state(&buffer, count: n) : nil
        let w = Float(1 - hyper.number("alpha"))  // formed in Double, as PyTorch does
        let sums = bpg_rmsprop(p, g, s, c, b, n, Float(hyper.number("weight_decay")), lr, alpha, w, eps, mu)
        var telemetry = SolverTelemetry()
        telemetry.lr = hyper.number("lr")
        telemetry.gradNorm = sums.gradSquared.squareRoot()
        telemetry.stepNorm = sums.stepSquared.squareRoot()
        return telemetry
    }
}
