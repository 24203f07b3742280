/// A solver's identity as presets, the command line and run directories name it (`bpgrad`,
/// `adam`, ...). Behaviour is looked up through the registry by kind, never by comparing names.
public struct SolverKind: NamedIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}
