import CKernels
import Foundation

/// Adam (Kingma & Ba, 2015), as `torch.optim.Adam` with `amsgrad=False` (to one rounding: the
/// division by sqrt(1 - beta2^t) is a multiplication by its inverse).
///
///     g   = grad + weight_decay * x
///     m_t = beta1 * m_{t-1} + (1 - beta1) * g
///     v_t = beta2 * v_{t-1} + (1 - beta2) * g^2
///     x   = x - (lr / (1 - beta1^t)) * m_t / (sqrt(v_t) / sqrt(1 - beta2^t) + eps)
///
/// Defaults: lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-8, weight_decay 0.
public final class Adam: Solver {
    public static let kind: SolverKind = "adam"
    public static let displayName = "Adam"
    public static let summary = "adaptive moments (Kingma & Ba, 2015), as torch.optim.Adam"
    public static let traits = SolverTraits.learningRateMethod
    public static let maxStateVectors = 2
    public static func landscapeSettings(lipschitz: Double) -> Settings { var s = Settings(); s.lr = 0.05; return s }

    public struct Settings: SolverSettings {
        public var lr = 1e-3
        public var beta1 = 0.9
        public var beta2 = 0.999
        public var eps = 1e-8
        public var weightDecay = 0.0

        public init() {}

        public static let fields: [HyperparameterField<Self>] = [
            .learningRate(\.lr),
            .number("beta1", \.beta1, .fraction, "decay of the first moment"),
            .number("beta2", \.beta2, .fraction, "decay of the second moment"),
            .number("eps", \.eps, .positive, "added to the denominator"),
            .weightDecay(\.weightDecay),
        ]
    }

    public var settings = Settings()
    private var m: FloatBuffer?, v: FloatBuffer?
    private var t = 0

    public init() {}

    public func reset() { m = nil; v = nil; t = 0 }

    public func copy() -> Adam {
        let c = Adam()
        c.settings = settings; c.m = m?.clone(); c.v = v?.clone(); c.t = t
        return c
    }

    public var bytesPerParameter: Int { 4 * (3 + 2 * 2) }

    public func step(parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafeMutablePointer<Float>, count n: Int,
                     context: StepContext) -> SolverTelemetry {
        let lr = settings.lr, beta1 = settings.beta1, beta2 = settings.beta2
        let eps = Float(settings.eps)
        let m = SolverKernels.state(&self.m, count: n), v = SolverKernels.state(&self.v, count: n)
        t += 1
        let negStep = -Float(lr / (1 - pow(beta1, Double(t))))
        let bc2Sqrt = Float((1 - pow(beta2, Double(t))).squareRoot())
        let w1 = Float(1 - beta1), b2 = Float(beta2), w2 = Float(1 - beta2)
        // m = lerp(m, g, w1); v = v*b2 + w2*g*g; x += negStep*(m/(sqrt(v)/bc2Sqrt + eps)), in one pass
        // (the kernel multiplies by 1/bc2Sqrt: within one rounding of PyTorch's quotient).
        let sums = bpg_adam(p, g, m, v, n, Float(settings.weightDecay), negStep, bc2Sqrt, w1, b2, w2, eps)
        var telemetry = SolverTelemetry()
        telemetry.lr = lr
        telemetry.gradNorm = sums.gradSquared.squareRoot()
        telemetry.stepNorm = sums.stepSquared.squareRoot()
        return telemetry
    }
}
