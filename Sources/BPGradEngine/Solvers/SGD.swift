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
    public static let kind = "sgd"
    public static let displayName = "SGD"
    public static let hyperparameters: [HyperparameterInfo] = [
        .positive("lr", 0.01, "learning rate"),
        .fraction("momentum", 0, "momentum factor"),
        .fraction("dampening", 0, "dampening for momentum", closedAbove: true),
        // As torch.optim.SGD refuses it: Nesterov's look-ahead needs a momentum buffer, undamped.
        .flag("nesterov", false, "Nesterov momentum").requiring { v in
            guard v["nesterov"] == .flag(true) else { return nil }
            let mu = v["momentum"]?.number ?? 0, dampening = v["dampening"]?.number ?? 0
            guard mu <= 0 || dampening != 0 else { return nil }
            return "Nesterov momentum requires a momentum above 0 and zero dampening, as in torch.optim.SGD "
                + "(here momentum would be \(formatNumber(mu)) and dampening \(formatNumber(dampening)))"
        },
        .nonNegative("weight_decay", 0, "L2 penalty added to the gradient"),
    ]

    public var hyper = Hyperparameters(solver: kind, schema: hyperparameters)
    private var buffer: FloatBuffer?

    public init() {}

    public func reset() { buffer = nil }

    public func step(parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafeMutablePointer<Float>, count n: Int,
                     context: StepContext) -> SolverTelemetry {
        let lr = Float(hyper.number("lr")), mu = Float(hyper.number("momentum")), nesterov = hyper.flag("nesterov")
        let keep = Float(1 - hyper.number("dampening"))  // formed in Double, as PyTorch does
        let first = buffer == nil || buffer!.count != n
        let b = mu != 0 ? SolverKernels.state(&buffer, count: n) : nil
        let sums = Lanes.update(p, g, n, weightDecay: Float(hyper.number("weight_decay"))) { i, c, gv in
            guard let b else { return -lr * gv }
            let bv = first ? gv : mu * Lanes.load(b, i, c) + keep * gv
            Lanes.store(bv, b, i, c)
            return -lr * (nesterov ? gv + mu * bv : bv)
        }
        var t = SolverTelemetry()
        t.lr = hyper.number("lr")
        t.gradNorm = sums.gradSquared.squareRoot()
        t.stepNorm = sums.stepSquared.squareRoot()
        return t
    }
}
