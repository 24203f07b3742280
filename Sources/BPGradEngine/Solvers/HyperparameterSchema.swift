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

    /// The schema of a solver this program does not know (a run another program wrote): one
    /// entry per value it reported, any number allowed, nothing stepped by the arrows.
    public init(external kind: SolverKind, values: [HyperKey: HyperValue]) {
        self.kind = kind
        infos = values.keys.sorted().map { key in
            let v = values[key]!
            switch v {
            case .number: return HyperparameterInfo(key: key, defaultValue: v, domain: .real(lower: -.infinity, upper: .infinity, lowerOpen: true, upperOpen: true),
                                                    stepping: .multiplicative(1.25), summary: "reported by the run's writer")
            case .flag: return HyperparameterInfo(key: key, defaultValue: v, domain: .flag, stepping: .toggle, summary: "reported by the run's writer")
            case .choice(let c): return HyperparameterInfo(key: key, defaultValue: v, domain: .choice([c]), stepping: .toggle, summary: "reported by the run's writer")
            }
        }
        conflictCheck = { _ in nil }
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
