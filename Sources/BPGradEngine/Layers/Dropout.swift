/// Inverted dropout: while training, zeroes each value with probability `rate` and scales
/// the survivors by 1/(1-rate); at evaluation it is the identity. Masks come from a seeded
/// generator, so runs stay reproducible.
public final class Dropout: Layer {
    public let kind = "dropout"
    public let inputShape: Shape
    public var outputShape: Shape { inputShape }
    public let rate: Float
    private var rng: SeededGenerator
    private var mask = FloatBuffer(count: 0), output = FloatBuffer(count: 0), inputGrad = FloatBuffer(count: 0)
    private var lastWasTraining = false

    public init(rate: Float, shape: Shape, seed: UInt64) {
        self.rate = rate
        inputShape = shape
        rng = SeededGenerator(seed: seed, stream: 0xD0)
    }

    public func reserve(batch: Int) {
        let n = batch * inputShape.count
        mask = FloatBuffer(count: n); output = FloatBuffer(count: n); inputGrad = FloatBuffer(count: n)
    }

    public func forward(_ x: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float> {
        lastWasTraining = training && rate > 0
        guard lastWasTraining else { return x }
        let n = batch * inputShape.count, keep = 1 - rate, scale = rate < 1 ? 1 / keep : 0
        let m = mask.pointer, y = output.pointer
        var rng = self.rng
        for i in 0..<n {
            m[i] = rng.nextUnit() < Double(keep) ? scale : 0
            y[i] = x[i] * m[i]
        }
        self.rng = rng
        return UnsafePointer(y)
    }

    public func copyRandomState(from other: any Layer) {
        if let twin = other as? Dropout { rng = twin.rng }
    }

    public func backward(_ dy: UnsafePointer<Float>, batch: Int, needInputGradient: Bool, accumulate: Bool) -> UnsafePointer<Float> {
        guard lastWasTraining else { return dy }
        let n = batch * inputShape.count, m = mask.pointer, dx = inputGrad.pointer
        for i in 0..<n { dx[i] = dy[i] * m[i] }
        return UnsafePointer(dx)
    }
}

extension Dropout {
    public static let definition = LayerDefinition(
        name: "dropout", options: [.real("rate", in: 0...0.999, default: 0.5)],
        describe: { o in "dropout(\(Float(o.real("rate"))))" },
        plan: { o, p throws(EngineError) in
            let rate = o.real("rate")
            guard rate >= 0, rate < 1 else { throw p.fail("rate must be in [0, 1), got \(rate)") }
            return p.stage(p.input, floats: 3 * p.inputCount)
        },
        make: { o, input, seed in Dropout(rate: Float(o.real("rate")), shape: input, seed: seed) })
}

extension LayerSpec {
    public static func dropout(rate: Double) -> LayerSpec { LayerSpec(Dropout.definition, LayerOptions(reals: ["rate": rate])) }
}
