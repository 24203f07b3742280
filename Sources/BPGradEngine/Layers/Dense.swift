import CKernels

/// Fully connected layer y = x W^T + b, with W stored [out, in] as in PyTorch's Linear.
public final class Dense: Layer {
    public let kind = "dense"
    public let inputShape: Shape
    public let outputShape: Shape
    let inputs: Int, units: Int
    private var affine: AffineParameters
    private var output = FloatBuffer(count: 0), inputGrad = FloatBuffer(count: 0)
    private var lastInput: UnsafePointer<Float>?
    /// Whether this layer also applies the ReLU that follows it (`Network.executionOrder`):
    /// in place on its output, and in backward as a mask on dy folded into the bias sum. A
    /// separate ReLU layer would write a second buffer each way and read both again.
    private(set) var appliesReLU = false
    private var maskedGrad = FloatBuffer(count: 0)

    public init(inputs: Int, units: Int) {
        self.inputs = inputs
        self.units = units
        affine = AffineParameters(outputs: units, fanIn: inputs)
        inputShape = Shape([inputs])
        outputShape = Shape([units])
    }

    public var parameterCount: Int { affine.count }
    public var forwardMACs: Int { units * inputs }

    public func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>) {
        affine.bind(parameters: parameters, gradients: gradients)
    }

    public func initialize(using rng: inout SeededGenerator) {
        affine.initialize(using: &rng)
    }

    public func reserve(batch: Int) {
        output = FloatBuffer(count: batch * units)
        inputGrad = FloatBuffer(count: batch * inputs)
        maskedGrad = FloatBuffer(count: appliesReLU ? batch * units : 0)
    }

    /// Takes over the ReLU after this layer (before buffers are reserved).
    func applyReLU() { appliesReLU = true }

    public func forward(_ x: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float> {
        lastInput = x
        let y = output.pointer
        // The product overwrites y (beta 0: no bias copied in first for it to read back), then
        // one pass adds the bias and applies the ReLU this layer took over.
        gemm(transA: false, transB: true, m: batch, n: units, k: inputs,
             a: x, lda: inputs, b: affine.weight, ldb: inputs, beta: 0, c: y, ldc: units)
        bpg_add_bias_rows(y, affine.bias, batch, units, appliesReLU ? 1 : 0)
        return UnsafePointer(y)
    }

    public func backward(_ dy: UnsafePointer<Float>, batch: Int, needInputGradient: Bool, accumulate: Bool) -> UnsafePointer<Float> {
        guard let x = lastInput else { preconditionFailure("dense: backward before forward") }
        // With the ReLU applied here, dy is the gradient after it: mask it where the output is
        // not positive (exactly what the ReLU layer's backward does), summing for db as it goes.
        var dy = dy
        if appliesReLU {
            bpg_relu_backward_sum_rows(maskedGrad.pointer, output.pointer, dy, batch, units, affine.dBias, accumulate ? 1 : 0)
            dy = UnsafePointer(maskedGrad.pointer)
        } else {
            bpg_sum_rows(affine.dBias, dy, batch, units, accumulate ? 1 : 0)
        }
        // dW (+)= dy^T x ; db (+)= sum over the batch of dy (above) ; dx = dy W
        gemm(transA: true, transB: false, m: units, n: inputs, k: batch,
             a: dy, lda: units, b: x, ldb: inputs, beta: accumulate ? 1 : 0, c: affine.dWeight, ldc: inputs)
        if needInputGradient {
            gemm(transA: false, transB: false, m: batch, n: inputs, k: units,
                 a: dy, lda: units, b: affine.weight, ldb: inputs, beta: 0, c: inputGrad.pointer, ldc: inputs)
        }
        return UnsafePointer(inputGrad.pointer)
    }
}

extension Dense {
    public static let definition = LayerDefinition(
        name: "dense", options: [.count("units")],
        describe: { o in "dense(\(o.count("units")))" },
        plan: { o, p throws(EngineError) in
            let units = o.count("units")
            guard units > 0 else { throw p.fail("units must be positive, got \(units)") }
            guard p.input.rank == 1 else {
                throw p.fail("expects a flat input but receives \(p.input); add a 'flatten' layer before it")
            }
            _ = try p.within32(units, "the number of units")
            guard let weights = CheckedSize.product(units, p.inputCount), let parameters = CheckedSize.sum(weights, units) else {
                throw p.fail("\(p.inputCount) inputs x \(units) units overflow a 64-bit size")
            }
            return p.stage(Shape([units]), parameters: parameters, floats: units + p.inputCount)
        },
        make: { o, input, _ in Dense(inputs: input.dims[0], units: o.count("units")) })
}

extension LayerSpec {
    public static func dense(units: Int) -> LayerSpec { LayerSpec(Dense.definition, LayerOptions(counts: ["units": units])) }
}
