/// What one solver step reports, beyond the loss the trainer already knows.
public struct SolverTelemetry: Sendable, Equatable {
    /// The learning rate in force (nil for BPGrad, whose step size is `eta`).
    public var lr: Double?
    /// BPGrad's step size eta_t = (f_t - f*_t) / L.
    public var eta: Double?
    /// BPGrad's pruned radius r_t (equal to eta_t by construction).
    public var radius: Double?
    /// BPGrad's estimate f*_t of the global minimum.
    public var fStar: Double?
    /// The loss value f_t BPGrad used (the batch loss, or the epoch's running mean).
    public var lossUsed: Double?
    /// ||g_t||_2 over all parameters (weight decay included where the solver adds it).
    public var gradNorm: Double = 0
    /// ||x_{t+1} - x_t||_2: the comparable step size across solvers.
    public var stepNorm: Double = 0
    /// Max and median over a sliding window of |f_{t+1} - f_t| / ||x_{t+1} - x_t|| (BPGrad).
    public var lipschitzEstimate: Double?
    public var lipschitzMedian: Double?
    /// BPGrad's L, mu and rho in force at this step.
    public var lipschitz: Double?, momentum: Double?, rho: Double?
    /// True when the step was skipped (a zero gradient).
    public var skipped = false

    public init() {}
}
