import CKernels
/// Stochastic gradient descent with momentum, exactly as `torch.optim.SGD`.
///
///     g   = grad + weight_decay * x
///     b_1 = g;  b_t = momentum * b_{t-1} + (1 - dampening) * g      (when momentum != 0)
///     d   = nesterov ? g + momentum * b_t : b_t                      (d = g without momentum)
///     x   = x - lr * d
///
/// Defaults: lr 0.01, momentum 0, dampening 0, nesterov false, weight_decay 0.
/// With momentum 0 this is plain gradient descent.
public final class SGD: Solver {
    public static let kind: SolverKind = "sgd"
    public static let displayName = "SGD"
    public static let summary = "stochastic gradient descent with momentum, as torch.optim.SGD"
    public static let traits = SolverTraits.learningRateMethod
    public static let maxStateVectors = 1
    public static func landscapeSettings(lipschitz: Double) -> Settings { var s = Settings(); s.lr = 0.001; return s }

    public struct Settings: SolverSettings {
        public var lr = 0.01
        public var momentum = 0.0
        public var dampening = 0.0
        public var nesterov = false
        public var weightDecay = 0.0

        public init() {}

        public static let fields: [HyperparameterField<Self>] = [
            .learningRate(\.lr),
            .number("momentum", \.momentum, .fraction, symbol: "mu", "momentum factor"),
            .number("dampening", \.dampening, .closedFraction, "dampening for momentum"),
            .flag("nesterov", \.nesterov, "Nesterov momentum"),
            .weightDecay(\.weightDecay),
        ]

        /// As torch.optim.SGD refuses it.
        public var conflict: String? {
            nesterov && (momentum <= 0 || dampening != 0) ? "Nesterov momentum requires a momentum above 0 and zero dampening, as in torch.optim.SGD" : nil
        }
    }

    public var settings = Settings()
    private var buffer: FloatBuffer?

    public init() {}

    public func reset() { buffer = nil }

    public func copy() -> SGD {
        let c = SGD()
        c.settings = settings; c.buffer = buffer?.clone()
        return c
    }

    /// The momentum buffer exists only with momentum.
    public var bytesPerParameter: Int { 4 * (3 + (settings.momentum != 0 ? 2 : 0)) }

    public func step(parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafeMutablePointer<Float>, count n: Int,
                     context: StepContext) -> SolverTelemetry {
        let lr = Float(settings.lr), mu = Float(settings.momentum), nesterov = settings.nesterov
        let keep = Float(1 - settings.dampening)  // formed in Double, as PyTorch does
        let first = buffer == nil || buffer!.count != n
        let b = mu != 0 ? SolverKernels.state(&buffer, count: n) : nil
        let sums = bpg_sgd(p, g, b, n, Float(settings.weightDecay), lr, mu, keep, first ? 1 : 0, nesterov ? 1 : 0)
        var t = SolverTelemetry()
        t.lr = settings.lr
        t.gradNorm = sums.gradSquared.squareRoot()
        t.stepNorm = sums.stepSquared.squareRoot()
        return t
    }
}
