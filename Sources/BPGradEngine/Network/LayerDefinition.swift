/// One kind of layer, as data: the name presets use, its options, and how to size and build
/// it. Each layer's file declares its definition next to the layer (`Dense.definition`), and
/// `LayerRegistry.all` lists them; the preset decoder, `NetworkPlan` and `Network` read
/// nothing else, so a new layer is its file, one registry line and its gradient test.
public struct LayerDefinition: Sendable {
    /// The name in presets and descriptions ("conv2d").
    public let name: String
    /// Options in order; the first is the one a shorthand sets (`dense: 64` is `units: 64`).
    public let options: [LayerOption]
    /// The short form shown in headers and errors, such as "conv2d(6@5x5 p2)".
    let describe: @Sendable (LayerOptions) -> String
    /// The layer's sizes for an input, every product checked; throws naming the layer when
    /// the options do not fit the input.
    let plan: @Sendable (LayerOptions, LayerPlanner) throws(EngineError) -> NetworkPlan.Stage
    /// Builds the layer for an input its plan accepted (`seed` feeds dropout's masks).
    let make: @Sendable (LayerOptions, Shape, UInt64) -> (any Layer)?

    public init(name: String, options: [LayerOption] = [], describe: @escaping @Sendable (LayerOptions) -> String,
                plan: @escaping @Sendable (LayerOptions, LayerPlanner) throws(EngineError) -> NetworkPlan.Stage,
                make: @escaping @Sendable (LayerOptions, Shape, UInt64) -> (any Layer)?) {
        self.name = name; self.options = options; self.describe = describe; self.plan = plan; self.make = make
    }

    /// A definition without options: described by its name alone.
    public init(name: String, plan: @escaping @Sendable (LayerOptions, LayerPlanner) throws(EngineError) -> NetworkPlan.Stage,
                make: @escaping @Sendable (LayerOptions, Shape, UInt64) -> (any Layer)?) {
        self.init(name: name, options: [], describe: { _ in name }, plan: plan, make: make)
    }
}
