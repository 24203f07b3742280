/// Reinterprets [C, H, W] as [C*H*W]; memory is already contiguous, so both passes are free.
public final class Flatten: Layer {
    public let kind = "flatten"
    public let inputShape: Shape
    public var outputShape: Shape { Shape([inputShape.count]) }

    public init(shape: Shape) { inputShape = shape }

    public func reserve(batch: Int) {}

    public func forward(_ x: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float> { x }

    public func backward(_ dy: UnsafePointer<Float>, batch: Int, needInputGradient: Bool, accumulate: Bool) -> UnsafePointer<Float> { dy }
}

extension Flatten {
    public static let definition = LayerDefinition(
        name: "flatten",
        plan: { _, p in p.stage(Shape([p.inputCount]), floats: 0) },
        make: { _, input, _ in Flatten(shape: input) })
}

extension LayerSpec {
    public static let flatten = LayerSpec(Flatten.definition)
}
