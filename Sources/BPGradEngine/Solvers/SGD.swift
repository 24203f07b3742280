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
        .flag("nesterov", false, "Nesterov momentum"),
        .nonNegative("weight_decay", 0, "L2 penalty added to the gradient"),
    ]

    public var hyper = Hyperparameters(solver: kind, schema: hyperparameters)
    private var buffer: FloatBuffer?, delta: FloatBuffer?

    public init() {}

    public func reset() { buffer = nil }

    public func step(parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafeMutablePointer<Float>, count n: Int,
                     context: StepContext) -> SolverTelemetry {
        let lr = Float(hyper.number("lr")), mu = Float(hyper.number("momentum"))
        let nesterov = hyper.flag("nesterov")
        SolverKernels.addWeightDecay(g, p, n, hyper.number("weight_decay"))
        var t = SolverTelemetry()
        t.lr = hyper.number("lr")
        t.gradNorm = VectorMath.norm(g, n)
        let d = SolverKernels.state(&delta, count: n)
        if mu != 0 {
            // Separate branch-free loops: the first step copies, later ones blend.
            let first = buffer == nil || buffer!.count != n
            let b = SolverKernels.state(&buffer, count: n), keep = Float(1 - hyper.number("dampening"))
            if first { b.update(from: g, count: n) } else { for i in 0..<n { b[i] = mu * b[i] + keep * g[i] } }
            if nesterov { for i in 0..<n { d[i] = -lr * (g[i] + mu * b[i]) } } else { for i in 0..<n { d[i] = -lr * b[i] } }
        } else {
            for i in 0..<n { d[i] = -lr * g[i] }
        }
        t.stepNorm = SolverKernels.apply(d, to: p, n)
        return t
    }
}
