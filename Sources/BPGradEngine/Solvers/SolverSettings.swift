/// A solver's hyperparameters as a plain struct: the update rule reads typed fields
/// (`settings.lipschitz`), so a misspelt name does not compile, while `fields` lists every
/// one for presets, `--set`, the parameter panel and live commands.
///
/// `init()` gives the defaults; `fields` names each field once, with its domain and help.
public protocol SolverSettings: Sendable, Equatable {
    init()
    static var fields: [HyperparameterField<Self>] { get }
    /// A rule between fields (SGD: Nesterov needs momentum and no dampening), or nil when they agree.
    var conflict: String? { get }
}

extension SolverSettings {
    public var conflict: String? { nil }

    public static var infos: [HyperparameterInfo] { fields.map(\.info) }

    /// Every field's current value, keyed by name.
    public var values: [HyperKey: HyperValue] {
        Dictionary(uniqueKeysWithValues: Self.fields.map { ($0.info.key, $0.read(self)) })
    }

    /// Settings from validated values; keys the struct does not have are ignored.
    public init(values: [HyperKey: HyperValue]) {
        self.init()
        for field in Self.fields { if let v = values[field.info.key] { field.write(&self, v) } }
    }

    /// The values with the cross-field rule checked, for any solver's values by kind.
    static func conflict(in values: [HyperKey: HyperValue]) -> String? { Self(values: values).conflict }
}
