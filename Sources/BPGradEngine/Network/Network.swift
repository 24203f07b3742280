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
    /// The layers as they run: `layers`, except that a ReLU directly before a max pooling runs
    /// after it instead, and a dense layer applies the ReLU after it itself (`executionOrder`).
    private let plan: [any Layer]
    /// Index in `plan` of the first layer with parameters (`plan.count` when none has any).
    private let firstTrainable: Int

    /// Builds the layers and checks that their shapes fit; throws naming the layer that does not.
    /// `fusing` false keeps a dense layer and its ReLU apart (tests compare the two).
    public init(specs: [LayerSpec], inputShape: Shape, seed: UInt64, fusing: Bool = true) throws(EngineError) {
        // Every size checked (no overflow, within the 32-bit limits) before any layer exists.
        _ = try NetworkPlan(specs: specs, inputShape: inputShape)
        var shape = inputShape
        var built: [any Layer] = []
        for (i, spec) in specs.enumerated() {
            let label = "layer \(i + 1) (\(spec))"
            // The plan above accepted these options for this input, so the layer fits.
            guard let layer = spec.definition.make(spec.options, shape, seed &+ UInt64(i)) else {
                throw .shape(layer: label, message: "does not fit the input \(shape)")
            }
            built.append(layer)
            shape = layer.outputShape
        }
        layers = built
        plan = Network.executionOrder(built, fusing: fusing)
        firstTrainable = plan.firstIndex { $0.parameterCount > 0 } ?? plan.count
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

    /// ReLU then max pooling gives exactly what max pooling then ReLU gives, forward and
    /// backward (ReLU is monotonic; a window whose maximum is not positive passes no gradient
    /// either way; ties, NaNs and overlapping windows included), and the second order runs the
    /// ReLU on a quarter of the values: after LeNet's first convolution those are 600k floats,
    /// more than the L2 cache holds.
    ///
    /// A dense layer followed by a ReLU applies it in place on its own output, and masks the
    /// incoming gradient in the pass that sums its bias gradient; the ReLU layer does not run.
    /// Outputs and gradients are bit for bit those of the two layers apart (a test checks).
    /// It sets the dense layers up for that, so it runs once, from `init`.
    static func executionOrder(_ layers: [any Layer], fusing: Bool = true) -> [any Layer] {
        var plan: [any Layer] = []
        var i = 0
        while i < layers.count {
            if i + 1 < layers.count, let relu = layers[i] as? Activation, relu.function == .relu,
               let pool = layers[i + 1] as? MaxPool2D {
                plan.append(pool)
                plan.append(Activation(.relu, shape: pool.outputShape))
                i += 2
            } else if fusing, i + 1 < layers.count, let dense = layers[i] as? Dense,
                      let relu = layers[i + 1] as? Activation, relu.function == .relu {
                dense.applyReLU()
                plan.append(dense)
                i += 2
            } else {
                plan.append(layers[i])
                i += 1
            }
        }
        return plan
    }

    public var parameterCount: Int { parameters.count }

    /// The kinds of the layers in the order they run (see `executionOrder`).
    public var runOrder: [String] { plan.map(\.kind) }

    /// Multiply-adds of forward per sample; a training step costs about three times this.
    public var forwardMACs: Int { layers.reduce(0) { $0 + $1.forwardMACs } }

    /// Sizes every buffer for batches of up to `batch` samples. Called once, not per step.
    public func reserve(batch: Int) {
        guard batch > batchCapacity else { return }
        for layer in plan { layer.reserve(batch: batch) }
        batchCapacity = batch
    }

    public func forward(_ x: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float> {
        precondition(batch <= batchCapacity, "reserve(batch:) before forward")
        var h = x
        for layer in plan { h = layer.forward(h, batch: batch, training: training) }
        return h
    }

    /// Back-propagates d(loss)/d(output), accumulating into `gradients` (zero them first).
    ///
    /// Layers before the first one with parameters (a leading `flatten`, say) get no gradient,
    /// and that first one computes none for its input: nothing upstream needs it, and for the
    /// MLP that skipped product was a sixth of the step.
    public func backward(_ dOutput: UnsafePointer<Float>, batch: Int) {
        backward(dOutput, batch: batch, accumulate: true)
    }

    /// Back-propagates; with `accumulate` false every gradient is overwritten, so no zeroing
    /// pass is needed first (what a training step does).
    public func backward(_ dOutput: UnsafePointer<Float>, batch: Int, accumulate: Bool) {
        var g = dOutput
        var i = plan.count - 1
        while i >= firstTrainable {
            g = plan[i].backward(g, batch: batch, needInputGradient: i > firstTrainable, accumulate: accumulate)
            i -= 1
        }
    }



    public func zeroGradients() { gradients.zero() }

    /// Takes over the random streams (dropout masks) of a network built from the same specs.
    public func copyRandomState(from other: Network) {
        for (mine, theirs) in zip(layers, other.layers) { mine.copyRandomState(from: theirs) }
    }
}
