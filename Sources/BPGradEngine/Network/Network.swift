/// A feed-forward stack of layers whose parameters live in one contiguous buffer.
///
/// Each layer sees a view into `parameters` and `gradients`, so a solver can take the
/// global gradient norm or update every weight in one pass over flat memory.
public final class Network {
    public let layers: [any Layer]
    public let inputShape: Shape
    public let outputShape: Shape
    public let parameters: FloatBuffer
    public let gradients: FloatBuffer
    public private(set) var batchCapacity = 0

    /// Builds the layers and checks that their shapes fit; throws naming the layer that does not.
    public init(specs: [LayerSpec], inputShape: Shape, seed: UInt64) throws(EngineError) {
        // Every size checked (no overflow, within BLAS's 32-bit limits) before any layer exists.
        _ = try NetworkPlan(specs: specs, inputShape: inputShape)
        var shape = inputShape
        var built: [any Layer] = []
        for (i, spec) in specs.enumerated() {
            let label = "layer \(i + 1) (\(spec))"
            let layer = try Network.makeLayer(spec, input: shape, label: label, seed: seed &+ UInt64(i))
            built.append(layer)
            shape = layer.outputShape
        }
        layers = built
        self.inputShape = inputShape
        outputShape = shape
        let total = built.reduce(0) { $0 + $1.parameterCount }
        parameters = FloatBuffer(count: total)
        gradients = FloatBuffer(count: total)
        var offset = 0
        for layer in built {
            layer.bind(parameters: parameters.pointer + offset, gradients: gradients.pointer + offset)
            offset += layer.parameterCount
        }
        var rng = SeededGenerator(seed: seed, stream: 0x1417)
        for layer in built { layer.initialize(using: &rng) }
    }

    private static func makeLayer(_ spec: LayerSpec, input: Shape, label: String, seed: UInt64) throws(EngineError) -> any Layer {
        switch spec {
        case .dense(let units):
            guard units > 0 else { throw .shape(layer: label, message: "units must be positive, got \(units)") }
            guard input.rank == 1 else {
                throw .shape(layer: label, message: "expects a flat input but receives \(input); add a 'flatten' layer before it")
            }
            return Dense(inputs: input.dims[0], units: units)
        case let .conv2d(filters, kernel, stride, padding):
            guard input.rank == 3 else {
                throw .shape(layer: label, message: "expects a [channels, height, width] input but receives \(input)")
            }
            guard let conv = Conv2D(input: input, filters: filters, kernel: kernel, stride: stride, padding: padding) else {
                throw .shape(layer: label, message: "a \(kernel)x\(kernel) kernel with stride \(stride) and padding \(padding) does not fit the input \(input)")
            }
            return conv
        case let .maxpool2d(size, stride):
            guard input.rank == 3 else {
                throw .shape(layer: label, message: "expects a [channels, height, width] input but receives \(input)")
            }
            guard let pool = MaxPool2D(input: input, size: size, stride: stride) else {
                throw .shape(layer: label, message: "a \(size)x\(size) window with stride \(stride) does not fit the input \(input)")
            }
            return pool
        case .flatten: return Flatten(shape: input)
        case .relu: return Activation(.relu, shape: input)
        case .leakyReLU(let a): return Activation(.leakyReLU(slope: a), shape: input)
        case .tanh: return Activation(.tanh, shape: input)
        case .sigmoid: return Activation(.sigmoid, shape: input)
        case .dropout(let rate):
            guard rate >= 0, rate < 1 else { throw .shape(layer: label, message: "rate must be in [0, 1), got \(rate)") }
            return Dropout(rate: rate, shape: input, seed: seed)
        }
    }

    public var parameterCount: Int { parameters.count }

    /// Multiply-adds of forward per sample; a training step costs about three times this.
    public var forwardMACs: Int { layers.reduce(0) { $0 + $1.forwardMACs } }

    /// Sizes every buffer for batches of up to `batch` samples. Called once, not per step.
    public func reserve(batch: Int) {
        guard batch > batchCapacity else { return }
        for layer in layers { layer.reserve(batch: batch) }
        batchCapacity = batch
    }

    public func forward(_ x: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float> {
        precondition(batch <= batchCapacity, "reserve(batch:) before forward")
        var h = x
        for layer in layers { h = layer.forward(h, batch: batch, training: training) }
        return h
    }

    /// Back-propagates d(loss)/d(output), accumulating into `gradients` (zero them first).
    public func backward(_ dOutput: UnsafePointer<Float>, batch: Int) {
        var g = dOutput
        for (i, layer) in layers.enumerated().reversed() {
            g = layer.backward(g, batch: batch, needInputGradient: i > 0)
        }
    }

    public func zeroGradients() { gradients.zero() }
}
