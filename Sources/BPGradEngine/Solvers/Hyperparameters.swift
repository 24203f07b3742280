/// One solver's hyperparameter values as plain data: what the store publishes, the panel
/// shows and presets resolve. Every value in it has passed its domain and the cross-field rule.
public struct Hyperparameters: Sendable, Equatable {
    public let schema: HyperparameterSchema
    public private(set) var values: [HyperKey: HyperValue]

    /// Every value at its default.
    public init(schema: HyperparameterSchema) {
        self.schema = schema
        values = schema.defaults
    }

    /// Values that are already known to be valid together: a solver's own settings, which
    /// only ever change through `set`. Missing keys keep their defaults.
    init(schema: HyperparameterSchema, valid: [HyperKey: HyperValue]) {
        self.schema = schema
        values = schema.defaults.merging(valid.filter { schema.defaults[$0.key] != nil }) { _, new in new }
    }

    public var kind: SolverKind { schema.kind }
    public var infos: [HyperparameterInfo] { schema.infos }

    public static func == (a: Self, b: Self) -> Bool { a.kind == b.kind && a.values == b.values }

    public subscript(key: HyperKey) -> HyperValue? { values[key] }

    /// Validates `value` (domain, then the rule between fields) and stores it.
    public mutating func set(_ key: HyperKey, _ value: HyperValue) throws(EngineError) {
        try set([(key, value)])
    }

    /// Validates and stores several values at once; the rule between fields is checked on
    /// the result, so `nesterov: true` may come before `momentum: 0.9`.
    public mutating func set(_ changes: [(key: HyperKey, value: HyperValue)]) throws(EngineError) {
        var next = values
        for (key, value) in changes {
            try schema.info(key).validate(value, solver: kind.rawValue)
            next[key] = value
        }
        if let conflict = schema.conflict(in: next) {
            let keys = changes.map { "\(kind).\($0.key)" }.joined(separator: ", ")
            throw .invalidValue(field: keys, message: "\(changes.map { "\($0.key)=\($0.value)" }.joined(separator: " ")) is not allowed: \(conflict)")
        }
        values = next
    }

    /// Parses text a user typed for `key` and sets it.
    public mutating func set(_ key: HyperKey, text: String) throws(EngineError) {
        try set(key, try schema.info(key).parse(text, solver: kind.rawValue))
    }

    /// `name=value` for every value in schema order (events, `train`'s summary).
    public var listing: String {
        schema.infos.compactMap { info in values[info.key].map { "\(info.key)=\($0)" } }.joined(separator: " ")
    }
}
