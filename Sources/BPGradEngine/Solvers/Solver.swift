/// An optimizer over a flat parameter buffer, in the manner of `torch.optim`.
///
/// Hyperparameters live in `settings` and are read at every step, so a live edit between two
/// steps changes behaviour without losing the moment estimates; `reset` clears the state.
public protocol Solver: AnyObject, SendableMetatype {
    associatedtype Settings: SolverSettings

    /// The solver's name in presets and on the command line (`bpgrad`, `adam`, ...).
    static var kind: SolverKind { get }
    static var displayName: String { get }
    /// One line for help texts and `presets`.
    static var summary: String { get }
    static var traits: SolverTraits { get }

    /// The most state vectors (one Float per parameter each) it keeps at any settings: what the
    /// memory budget reserves per configuration.
    static var maxStateVectors: Int { get }

    /// Its settings on the 2-D test functions (`landscape`), whose domains are a few units
    /// across and whose Lipschitz constant is about `lipschitz`.
    static func landscapeSettings(lipschitz: Double) -> Settings

    var settings: Settings { get set }

    /// A solver with every hyperparameter at its default.
    init()

    /// Updates `parameters` in place from `gradients` (which it may overwrite).
    func step(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>, count: Int,
              context: StepContext) -> SolverTelemetry

    /// Forgets moments, velocities and step counts.
    func reset()

    /// An independent solver with the same settings and the same state (moments, velocity,
    /// counters): continuing both on the same gradients gives identical results (forks).
    func copy() -> Self

    /// Bytes one update reads and writes per parameter at the current settings (read p, g and
    /// each state buffer, write p and each state buffer): what `bench --solvers` divides by.
    var bytesPerParameter: Int { get }

    /// Called after a live change, before the next step, with the settings it replaced; returns
    /// a note for the event when the change did something to the state (BPGrad's velocity).
    func settingsChanged(from old: Settings) -> String?
}

extension Solver {
    public func settingsChanged(from old: Settings) -> String? { nil }
    public static func landscapeSettings(lipschitz: Double) -> Settings { Settings() }

    public static var schema: HyperparameterSchema { HyperparameterSchema(kind: kind, settings: Settings.self) }
    public static var descriptor: SolverDescriptor {
        SolverDescriptor(kind: kind, displayName: displayName, summary: summary, traits: traits, schema: schema,
                         maxStateVectors: maxStateVectors, landscapeSettings: { landscapeSettings(lipschitz: $0).values }, make: { Self() })
    }

    public var kind: SolverKind { Self.kind }

    /// The current settings as plain values.
    public var hyper: Hyperparameters {
        // Not value by value through `set`: a pair such as nesterov with momentum is only
        // valid together, and one refused half would silently vanish.
        Hyperparameters(schema: Self.schema, valid: settings.values)
    }

    /// Validates and applies one value between steps; returns `settingsChanged`'s note.
    @discardableResult
    public func set(_ key: HyperKey, _ value: HyperValue) throws(EngineError) -> String? {
        var h = hyper
        try h.set(key, value)
        let old = settings
        settings = Settings(values: h.values)
        return settingsChanged(from: old)
    }

    /// Applies a whole set of values, checked together (a preset's or configuration's).
    public func apply(_ values: Hyperparameters) throws(EngineError) {
        var h = hyper
        try h.set(values.values.map { ($0.key, $0.value) })
        settings = Settings(values: h.values)
    }
}
