/// A layer as a preset describes it: which kind, with which options. `NetworkPlan` sizes it
/// and `Network` builds it through its definition. Each layer's file adds a constructor
/// (`.dense(units: 64)`, `.relu`) for code and tests.
public struct LayerSpec: Sendable, Equatable, CustomStringConvertible {
    public let definition: LayerDefinition
    public let options: LayerOptions

    public init(_ definition: LayerDefinition, _ options: LayerOptions = LayerOptions()) {
        self.definition = definition
        self.options = options
    }

    public var name: String { definition.name }

    public static func == (a: Self, b: Self) -> Bool { a.name == b.name && a.options == b.options }

    public var description: String { definition.describe(options) }
}
