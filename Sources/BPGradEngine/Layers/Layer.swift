/// One stage of a network with a hand-written forward and backward pass.
///
/// Contract: `forward` keeps what `backward` needs (its input or output pointer, masks),
/// `backward` *accumulates* parameter gradients (`+=`) into the bound gradient view and
/// returns the gradient with respect to its input. Output buffers are owned by the layer,
/// sized by `reserve(batch:)`, and reused every step.
public protocol Layer: AnyObject {
    var kind: String { get }
    var inputShape: Shape { get }
    var outputShape: Shape { get }
    var parameterCount: Int { get }
    /// Multiply-adds of one forward pass for one sample (for GFLOP/s in `bench`).
    var forwardMACs: Int { get }

    func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>)
    func initialize(using rng: inout SeededGenerator)
    func reserve(batch: Int)
    func forward(_ x: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float>
    /// `needInputGradient` is false for the first layer, which may then skip that product.
    /// With `accumulate` false the layer *overwrites* its parameter gradients instead of adding
    /// to them (every element, whatever the batch): a training step then needs no zeroing pass,
    /// and its products write with beta = 0 rather than read the old gradient.
    func backward(_ dy: UnsafePointer<Float>, batch: Int, needInputGradient: Bool, accumulate: Bool) -> UnsafePointer<Float>
    /// Takes over the random state of the same layer in another network (dropout), for forks.
    func copyRandomState(from other: any Layer)
}

extension Layer {
    /// Back-propagates, accumulating parameter gradients (the contract above).
    public func backward(_ dy: UnsafePointer<Float>, batch: Int, needInputGradient: Bool) -> UnsafePointer<Float> {
        backward(dy, batch: batch, needInputGradient: needInputGradient, accumulate: true)
    }

    public var parameterCount: Int { 0 }
    public var forwardMACs: Int { 0 }
    public func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>) {}
    public func initialize(using rng: inout SeededGenerator) {}
    public func copyRandomState(from other: any Layer) {}
}

/// PyTorch's default initialisation for Linear and Conv2d: weights kaiming-uniform with
/// a = sqrt(5), which works out to uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)); biases likewise.
func pytorchDefaultInit(_ p: UnsafeMutablePointer<Float>, count: Int, fanIn: Int, rng: inout SeededGenerator) {
    let bound = 1.0 / Double(max(fanIn, 1)).squareRoot()
    for i in 0..<count { p[i] = Float(rng.uniform(-bound, bound)) }
}
