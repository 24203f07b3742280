/// Every hyperparameter one solver kind accepts, with its cross-field rule: what presets,
/// `--set`, the configuration syntax and the parameter panel validate against.
public struct HyperparameterSchema: Sendable {
    public let kind: SolverKind
    public let infos: [HyperparameterInfo]
    private let conflictCheck: @Sendable ([HyperKey: HyperValue]) -> String?

    public init<S: SolverSettings>(kind: SolverKind, settings: S.Type) {
        self.kind = kind
        infos = S.infos
        conflictCheck = { S.conflict(in: $0) }
    }

    public var keys: [HyperKey] { infos.map(\.key) }

    /// The key a user typed: its name or its symbol (`L` for lipschitz).
    public func key(named text: String) -> HyperKey? {
        infos.first { $0.key.rawValue == text }?.key ?? infos.first { $0.symbol == text }?.key
    }

    public func info(_ key: HyperKey) throws(EngineError) -> HyperparameterInfo {
        guard let info = infos.first(where: { $0.key == key }) else {
            throw .invalidValue(field: "\(kind).\(key)", message: "unknown hyperparameter; \(kind) has \(keys.map(\.rawValue).joined(separator: ", "))")
        }
        return info
    }

    /// The rule between fields for these values, or nil when they agree.
    public func conflict(in values: [HyperKey: HyperValue]) -> String? { conflictCheck(values) }

    public var defaults: [HyperKey: HyperValue] { Dictionary(uniqueKeysWithValues: infos.map { ($0.key, $0.defaultValue) }) }
}
