/// The solvers a preset or the command line may name. Adding a solver: its file, one line
/// here, and its tests; help texts, presets and the dashboard take it from this list.
public enum SolverRegistry {
    public static let all: [SolverDescriptor] = [
        BPGrad.descriptor, Adam.descriptor, SGD.descriptor, Adagrad.descriptor, Adadelta.descriptor, RMSprop.descriptor,
    ]

    public static var kinds: [SolverKind] { all.map(\.kind) }

    public static func descriptor(_ kind: SolverKind) -> SolverDescriptor? { all.first { $0.kind == kind } }

    /// The descriptor for a name a user typed, or an error listing the known kinds.
    public static func descriptor(named name: String, field: String) throws(EngineError) -> SolverDescriptor {
        guard let d = descriptor(SolverKind(name.lowercased())) else {
            throw .invalidValue(field: field, message: "unknown solver '\(name)'; known solvers: \(kindList)")
        }
        return d
    }

    /// `bpgrad, adam, sgd, ...` for messages and help.
    public static var kindList: String { kinds.map(\.rawValue).joined(separator: ", ") }
}
