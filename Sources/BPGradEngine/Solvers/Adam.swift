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
    public static let kind = "adam"
    public static let displayName = "Adam"
    public static let hyperparameters: [HyperparameterInfo] = [
        .positive("lr", 1e-3, "learning rate"),
        .fraction("beta1", 0.9, "decay of the first moment"),
        .fraction("beta2", 0.999, "decay of the second moment"),
        .positive("eps", 1e-8, "added to the denominator"),
        .nonNegative("weight_decay", 0, "L2 penalty added to the gradient"),
    ]

    public var hyper = Hyperparameters(solver: kind, schema: hyperparameters)
    private var m: FloatBuffer?, v: FloatBuffer?
    private var t = 0

    public init() {}

    public func reset() { m = nil; v = nil; t = 0 }

    public func step(parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafeMutablePointer<Float>, count n: Int,
                     context: StepContext) -> SolverTelemetry {
        let lr = hyper.number("lr"), beta1 = hyper.number("beta1"), beta2 = hyper.number("beta2")
        let eps = Float(hyper.number("eps"))
        let m = SolverKernels.state(&self.m, count: n), v = SolverKernels.state(&self.v, count: n)
        t += 1
        let negStep = -Float(lr / (1 - pow(beta1, Double(t))))
        let bc2Sqrt = Float((1 - pow(beta2, Double(t))).squareRoot())
        let w1 = Float(1 - beta1), b2 = Float(beta2), w2 = Float(1 - beta2)
        // m = lerp(m, g, w1); v = v*b2 + w2*g*g; x += negStep*(m/(sqrt(v)/bc2Sqrt + eps)), in one pass
        // (the kernel multiplies by 1/bc2Sqrt: within one rounding of PyTorch's quotient).
        let sums = bpg_adam(p, g, m, v, n, Float(hyper.number("weight_decay")), negStep, bc2Sqrt, w1, b2, w2, eps)
        var telemetry = SolverTelemetry()
        telemetry.lr = lr
        telemetry.gradNorm = sums.gradSquared.squareRoot()
        telemetry.stepNorm = sums.stepSquared.squareRoot()
        return telemetry
    }
}
