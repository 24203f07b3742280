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
    public static let kind: SolverKind = "adadelta"
    public static let displayName = "Adadelta"
    public static let summary = "running averages of squared gradients and steps (Zeiler, 2012), as torch.optim.Adadelta"
    public static let traits = SolverTraits.learningRateMethod
    public static let maxStateVectors = 2

    public struct Settings: SolverSettings {
        public var lr = 1.0
        public var rho = 0.9
        public var eps = 1e-6
        public var weightDecay = 0.0

        public init() {}

        public static let fields: [HyperparameterField<Self>] = [
            .number("lr", \.lr, .positive, "coefficient scaling delta"),
            .number("rho", \.rho, .closedFraction, "decay of the running averages"),
            .number("eps", \.eps, .positive, "added inside the square roots"),
            .weightDecay(\.weightDecay),
        ]
    }

    public var settings = Settings()
    private var squareAvg: FloatBuffer?, accDelta: FloatBuffer?

    public init() {}

    public func reset() { squareAvg = nil; accDelta = nil }

    public func copy() -> Adadelta {
        let c = Adadelta()
        c.settings = settings; c.squareAvg = squareAvg?.clone(); c.accDelta = accDelta?.clone()
        return c
    }

    public var bytesPerParameter: Int { 4 * (3 + 2 * 2) }

    public func step(parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafeMutablePointer<Float>, count n: Int,
                     context: StepContext) -> SolverTelemetry {
        // Coefficients such as 1 - rho are formed in Double and rounded once, as PyTorch does.
        let lr = Float(settings.lr), rho = Float(settings.rho), eps = Float(settings.eps)
        let oneMinusRho = Float(1 - settings.rho)
        let s = SolverKernels.state(&squareAvg, count: n), u = SolverKernels.state(&accDelta, count: n)
        let sums = bpg_adadelta(p, g, s, u, n, Float(settings.weightDecay), lr, rho, oneMinusRho, eps)
        var telemetry = SolverTelemetry()
        telemetry.lr = settings.lr
        telemetry.gradNorm = sums.gradSquared.squareRoot()
        telemetry.stepNorm = sums.stepSquared.squareRoot()
        return telemetry
    }
}
