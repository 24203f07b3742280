/// The solvers a preset or the command line may name.
public enum SolverRegistry {
    public static var all: [any Solver.Type] { [BPGrad.self, Adam.self, SGD.self, Adagrad.self, Adadelta.self, RMSprop.self] }

    public static var kinds: [String] { all.map { $0.kind } }

    public static func type(named kind: String) -> (any Solver.Type)? {
        all.first { $0.kind == kind }
    }

    public static func schema(_ kind: String) -> [HyperparameterInfo]? { type(named: kind)?.hyperparameters }

    /// A fresh solver with the given hyperparameters (already validated by the preset loader).
    public static func make(_ spec: SolverSpec) throws(EngineError) -> any Solver {
        guard let type = type(named: spec.kind) else {
            throw .invalidValue(field: "solver", message: "unknown solver '\(spec.kind)' (known: \(kinds.joined(separator: ", ")))")
        }
        let solver = type.init()
        try solver.hyper.set(all: spec.values)
        return solver
    }
}

/// A solver as a preset lists it: its kind and the hyperparameters it overrides.
public struct SolverSpec: Sendable, Equatable {
    public var kind: String
    public var values: [String: HyperValue]

    public init(kind: String, values: [String: HyperValue] = [:]) {
        self.kind = kind
        self.values = values
    }

    public var displayName: String { SolverRegistry.type(named: kind)?.displayName ?? kind }

    /// Every hyperparameter with the default filled in where the preset says nothing.
    public var resolved: Hyperparameters {
        var h = Hyperparameters(solver: kind, schema: SolverRegistry.schema(kind) ?? [])
        try? h.set(all: values)
        return h
    }
}
