/// A solver at particular settings in a session: the unit that trains, is drawn, and is
/// written. Several configurations may share a kind (BPGrad at L = 5 and at L = 50).
///
/// `name` is unique in a run and file-name-safe: it names the CSV file and fills the
/// `solver` column and events. `label` is what legends show.
public struct Configuration: Sendable, Equatable {
    public var hyperparameters: Hyperparameters
    public var label: String
    public var name: String
    /// The configuration this one was forked from, and the step it was forked at.
    public var parent: String?
    public var forkStep: Int?

    /// The most configurations one session runs: each trains on its own queue, and the two
    /// cores of a small machine share them; the dashboard stays readable at this count.
    public static let limit = 12

    public init(hyperparameters: Hyperparameters, label: String, name: String, parent: String? = nil, forkStep: Int? = nil) {
        self.hyperparameters = hyperparameters; self.label = label; self.name = name
        self.parent = parent; self.forkStep = forkStep
    }

    public var kind: SolverKind { hyperparameters.kind }

    /// The registry entry of this configuration's kind; nil for a kind another program wrote.
    public var descriptor: SolverDescriptor? { SolverRegistry.descriptor(kind) }

    /// What the kind reports; for a kind this program does not know, a learning-rate method.
    public var traits: SolverTraits { descriptor?.traits ?? .learningRateMethod }

    /// A fresh solver at these settings.
    public func makeSolver() throws(EngineError) -> any Solver {
        guard let descriptor else {
            throw .invalidValue(field: "solver", message: "unknown solver '\(kind)'; known solvers: \(SolverRegistry.kindList)")
        }
        return try descriptor.makeSolver(hyperparameters)
    }
}
