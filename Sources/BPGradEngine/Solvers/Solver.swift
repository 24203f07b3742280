/// An optimizer over a flat parameter buffer, in the manner of `torch.optim`.
///
/// Hyperparameters live in `hyper` and are read at every step, so a live edit between two
/// steps changes behaviour without losing the moment estimates; `reset` clears the state.
public protocol Solver: AnyObject {
    /// The solver's name in presets and on the command line (`bpgrad`, `adam`, ...).
    static var kind: String { get }
    static var displayName: String { get }
    static var hyperparameters: [HyperparameterInfo] { get }

    var hyper: Hyperparameters { get set }

    /// A solver with every hyperparameter at its default.
    init()

    /// Updates `parameters` in place from `gradients` (which it may overwrite).
    func step(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>, count: Int,
              context: StepContext) -> SolverTelemetry

    /// Forgets moments, velocities and step counts.
    func reset()
}

extension Solver {
    public var kind: String { Self.kind }
    public var displayName: String { Self.displayName }
}

/// A solver's validated hyperparameter values, keyed by name.
public struct Hyperparameters: Sendable, Equatable {
    public let solver: String
    public private(set) var values: [String: HyperValue]
    public let schema: [HyperparameterInfo]

    public init(solver: String, schema: [HyperparameterInfo]) {
        self.solver = solver
        self.schema = schema
        values = Dictionary(uniqueKeysWithValues: schema.map { ($0.name, $0.defaultValue) })
    }

    public static func == (a: Self, b: Self) -> Bool { a.solver == b.solver && a.values == b.values }

    public func info(_ name: String) throws(EngineError) -> HyperparameterInfo {
        guard let info = schema.first(where: { $0.name == name }) else {
            throw .invalidValue(field: "\(solver).\(name)",
                                message: "unknown hyperparameter; \(solver) has \(schema.map(\.name).joined(separator: ", "))")
        }
        return info
    }

    /// Sets one value, checked against its range and against every rule between parameters
    /// (a live change that breaks one is refused and changes nothing).
    public mutating func set(_ name: String, _ value: HyperValue) throws(EngineError) {
        try info(name).validate(value, solver: solver)
        var next = values
        next[name] = value
        try checkRules(next, field: "\(solver).\(name)", value: value)
        values = next
    }

    public mutating func set(_ name: String, text: String) throws(EngineError) {
        try set(name, try info(name).parse(text, solver: solver))
    }

    /// Sets several values at once, as a preset gives them: each checked against its range,
    /// the rules between them checked once all are in, so their order does not matter.
    public mutating func set(all given: [String: HyperValue]) throws(EngineError) {
        var next = values
        for (name, value) in given.sorted(by: { $0.key < $1.key }) {
            try info(name).validate(value, solver: solver)
            next[name] = value
        }
        try checkRules(next, field: solver, value: nil)
        values = next
    }

    private func checkRules(_ candidate: [String: HyperValue], field: String, value: HyperValue?) throws(EngineError) {
        for info in schema {
            if let why = info.requires?(candidate) {
                throw .invalidValue(field: field, message: (value.map { "invalid value \($0): " } ?? "") + why)
            }
        }
    }

    public subscript(name: String) -> HyperValue? { values[name] }

    /// A numeric hyperparameter; the schema guarantees it exists.
    public func number(_ name: String) -> Double { values[name]?.number ?? .nan }

    public func flag(_ name: String) -> Bool { if case .flag(let b)? = values[name] { b } else { false } }

    public func choice(_ name: String) -> String { if case .choice(let s)? = values[name] { s } else { "" } }
}
