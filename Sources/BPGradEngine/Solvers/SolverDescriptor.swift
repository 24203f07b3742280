/// A solver kind as the registry lists it: name, help, telemetry traits, hyperparameters,
/// and how to make one. Everything outside the solver's own file reaches it through this.
public struct SolverDescriptor: Sendable {
    public let kind: SolverKind
    public let displayName: String
    public let summary: String
    public let traits: SolverTraits
    public let schema: HyperparameterSchema
    /// See `Solver.maxStateVectors`.
    public let maxStateVectors: Int
    /// `Solver.landscapeSettings(lipschitz:)`, every value.
    public let landscapeSettings: @Sendable (Double) -> [HyperKey: HyperValue]
    private let make: @Sendable () -> any Solver

    public init(kind: SolverKind, displayName: String, summary: String, traits: SolverTraits, schema: HyperparameterSchema,
                maxStateVectors: Int, landscapeSettings: @escaping @Sendable (Double) -> [HyperKey: HyperValue],
                make: @escaping @Sendable () -> any Solver) {
        self.kind = kind; self.displayName = displayName; self.summary = summary; self.traits = traits
        self.schema = schema; self.maxStateVectors = maxStateVectors; self.landscapeSettings = landscapeSettings; self.make = make
    }

    /// A fresh solver with `values` applied (they were validated against `schema`).
    public func makeSolver(_ values: Hyperparameters? = nil) throws(EngineError) -> any Solver {
        let solver = make()
        if let values { try solver.apply(values) }
        return solver
    }

    /// Every hyperparameter at its default.
    public var defaults: Hyperparameters { Hyperparameters(schema: schema) }
}
