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
    public static let kind: SolverKind = "adagrad"
    public static let displayName = "Adagrad"
    public static let summary = "per-parameter rates from summed squared gradients (Duchi et al., 2011), as torch.optim.Adagrad"
    public static let traits = SolverTraits.learningRateMethod
    public static let maxStateVectors = 1
    public static func landscapeSettings(lipschitz: Double) -> Settings { var s = Settings(); s.lr = 0.5; return s }

    public struct Settings: SolverSettings {
        public var lr = 0.01
        public var lrDecay = 0.0
        public var eps = 1e-10
        public var initialAccumulatorValue = 0.0
        public var weightDecay = 0.0

        public init() {}

        public static let fields: [HyperparameterField<Self>] = [
            .learningRate(\.lr),
            .number("lr_decay", \.lrDecay, .nonNegative, "learning-rate decay per step"),
            .number("eps", \.eps, .positive, "added to the denominator"),
            .number("initial_accumulator_value", \.initialAccumulatorValue, .nonNegative, symbol: "acc0", "starting value of the squared-gradient sum"),
            .weightDecay(\.weightDecay),
        ]
    }

    public var settings = Settings()
    private var sum: FloatBuffer?
    private var t = 0

    public init() {}

    public func reset() { sum = nil; t = 0 }

    public func copy() -> Adagrad {
        let c = Adagrad()
        c.settings = settings; c.sum = sum?.clone(); c.t = t
        return c
    }

    public var bytesPerParameter: Int { 4 * (3 + 2 * 1) }

    public func step(parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafeMutablePointer<Float>, count n: Int,
                     context: StepContext) -> SolverTelemetry {
        let lr = settings.lr, decay = settings.lrDecay, eps = Float(settings.eps)
        let s = SolverKernels.state(&sum, count: n, fill: Float(settings.initialAccumulatorValue))
        t += 1
        let clr = lr / (1 + Double(t - 1) * decay), c = Float(clr)
        // s += g*g; x -= c*(g/(sqrt(s) + eps)), in one pass.
        let sums = bpg_adagrad(p, g, s, n, Float(settings.weightDecay), c, eps)
        var telemetry = SolverTelemetry()
        telemetry.lr = clr
        telemetry.gradNorm = sums.gradSquared.squareRoot()
        telemetry.stepNorm = sums.stepSquared.squareRoot()
        return telemetry
    }
}
