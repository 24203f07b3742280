/// What kind of telemetry a solver reports, so views choose charts by capability, not by name.
public struct SolverTraits: Sendable, Equatable {
    /// Reports BPGrad's quantities: eta_t, the pruned radius r_t, f*_t and the Lipschitz
    /// estimate; the others report the learning rate in force.
    public var prunes: Bool

    public init(prunes: Bool) { self.prunes = prunes }

    /// Adam, SGD and the other learning-rate methods.
    public static let learningRateMethod = SolverTraits(prunes: false)
    /// BPGrad and branch and pruning.
    public static let branchAndPrune = SolverTraits(prunes: true)
}
