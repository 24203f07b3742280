/// The name of a hyperparameter (`lipschitz`, `lr`, ...), as presets, `--set`, commands and
/// events spell it. Solvers read their values through typed settings, not through keys.
public struct HyperKey: NamedIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}
