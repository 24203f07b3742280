import CKernels
/// Adagrad (Duchi et al., 2011), exactly as `torch.optim.Adagrad`.
///
///     g     = grad + weight_decay * x
///     clr   = lr / (1 + (t - 1) * lr_decay)
///     s_t   = s_{t-1} + g^2                 (s_0 = initial_accumulator_value)
///     x     = x - clr * g / (sqrt(s_t) + eps)
///
/// Defaults: lr 0.01, lr_decay 0, eps 1e-10, initial_accumulator_value 0, weight_decay 0.
public final class Adagrad: Solver {
    public static let kind = "adagrad"
    public static let displayName = "Adagrad"
    public static let hyperparameters: [HyperparameterInfo] = [
        .positive("lr", 0.01, "learning rate"),
        .nonNegative("lr_decay", 0, "learning-rate decay per step"),
        .positive("eps", 1e-10, "added to the denominator"),
        .nonNegative("initial_accumulator_value", 0, "starting value of the squared-gradient sum"),
        .nonNegative("weight_decay", 0, "L2 penalty added to the gradient"),
    ]

    public var hyper = Hyperparameters(solver: kind, schema: hyperparameters)
    private var sum: FloatBuffer?
    private var t = 0

    public init() {}

    public func reset() { sum = nil; t = 0 }

    public func step(parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafeMutablePointer<Float>, count n: Int,
                     context: StepContext) -> SolverTelemetry {
        let lr = hyper.number("lr"), decay = hyper.number("lr_decay"), eps = Float(hyper.number("eps"))
        let s = SolverKernels.state(&sum, count: n, fill: Float(hyper.number("initial_accumulator_value")))
        t += 1
        let clr = lr / (1 + Double(t - 1) * decay), c = Float(clr)
        // s += g*g; x -= c*(g/(sqrt(s) + eps)), in one pass.
        let sums = bpg_adagrad(p, g, s, n, Float(hyper.number("weight_decay")), c, eps)
        var telemetry = SolverTelemetry()
        telemetry.lr = clr
        telemetry.gradNorm = sums.gradSquared.squareRoot()
        telemetry.stepNorm = sums.stepSquared.squareRoot()
        return telemetry
    }
}
