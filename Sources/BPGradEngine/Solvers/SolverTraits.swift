/// What kind of telemetry a solver reports, so views choose charts by capability, not by name.
public struct SolverTraits: Sendable, Equatable {
    /// Reports BPGrad's quantities: eta_t, the pruned radius r_t, f*_t and the Lipschitz estimate.
    public var prunes: Bool
    /// Reports a learning rate in force.
    public var learningRate: Bool

    public init(prunes: Bool, learningRate: Bool) {
        self.prunes = prunes
        self.learningRate = learningRate
    }

    /// Adam, SGD and the other learning-rate methods.
    public static let learningRateMethod = SolverTraits(prunes: false, learningRate: true)
    /// BPGrad and branch and pruning.
    public static let branchAndPrune = SolverTraits(prunes: true, learningRate: false)
}
