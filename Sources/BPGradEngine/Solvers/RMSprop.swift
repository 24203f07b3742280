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
    public static let kind: SolverKind = "rmsprop"
    public static let displayName = "RMSprop"
    public static let summary = "steps scaled by a running RMS of the gradient (Hinton), as torch.optim.RMSprop"
    public static let traits = SolverTraits.learningRateMethod
    public static let maxStateVectors = 3
    public static func landscapeSettings(lipschitz: Double) -> Settings { var s = Settings(); s.lr = 0.01; return s }

    public struct Settings: SolverSettings {
        public var lr = 0.01
        public var alpha = 0.99
        public var eps = 1e-8
        public var momentum = 0.0
        public var centered = false
        public var weightDecay = 0.0

        public init() {}

        public static let fields: [HyperparameterField<Self>] = [
            .learningRate(\.lr),
            .number("alpha", \.alpha, .closedFraction, "smoothing constant"),
            .number("eps", \.eps, .positive, "added to the denominator"),
            .number("momentum", \.momentum, .fraction, symbol: "mu", "momentum factor"),
            .flag("centered", \.centered, "normalise by the estimated variance"),
            .weightDecay(\.weightDecay),
        ]
    }

    public var settings = Settings()
    private var squareAvg: FloatBuffer?, gradAvg: FloatBuffer?, buffer: FloatBuffer?

    public init() {}

    public func reset() { squareAvg = nil; gradAvg = nil; buffer = nil }

    public func copy() -> RMSprop {
        let c = RMSprop()
        c.settings = settings
        c.squareAvg = squareAvg?.clone(); c.gradAvg = gradAvg?.clone(); c.buffer = buffer?.clone()
        return c
    }

    /// The square average always; the gradient average when centered; the buffer with momentum.
    public var bytesPerParameter: Int { 4 * (3 + 2 * (1 + (settings.centered ? 1 : 0) + (settings.momentum > 0 ? 1 : 0))) }

    public func step(parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafeMutablePointer<Float>, count n: Int,
                     context: StepContext) -> SolverTelemetry {
        let lr = Float(settings.lr), alpha = Float(settings.alpha), eps = Float(settings.eps)
        let mu = Float(settings.momentum), centered = settings.centered
        let s = SolverKernels.state(&squareAvg, count: n)
        let c = centered ? SolverKernels.state(&gradAvg, count: n) : nil
        let b = mu > 0 ? SolverKernels.state(&buffer, count: n) : nil
        let w = Float(1 - settings.alpha)  // formed in Double, as PyTorch does
        let sums = bpg_rmsprop(p, g, s, c, b, n, Float(settings.weightDecay), lr, alpha, w, eps, mu)
        var telemetry = SolverTelemetry()
        telemetry.lr = settings.lr
        telemetry.gradNorm = sums.gradSquared.squareRoot()
        telemetry.stepNorm = sums.stepSquared.squareRoot()
        return telemetry
    }
}
