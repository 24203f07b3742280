/// A weight matrix [outputs, fanIn] and one bias per output, laid out in the flat parameter
/// buffer as PyTorch lays out `weight` then `bias`: what dense and convolution layers share
/// (a convolution's fan-in is its patch, channels x kernel x kernel).
struct AffineParameters {
    let outputs: Int, fanIn: Int
    private(set) var weight: UnsafeMutablePointer<Float>!, bias: UnsafeMutablePointer<Float>!
    private(set) var dWeight: UnsafeMutablePointer<Float>!, dBias: UnsafeMutablePointer<Float>!

    init(outputs: Int, fanIn: Int) {
        self.outputs = outputs; self.fanIn = fanIn
    }

    var weightCount: Int { outputs * fanIn }
    var count: Int { weightCount + outputs }

    mutating func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>) {
        weight = parameters; bias = parameters + weightCount
        dWeight = gradients; dBias = gradients + weightCount
    }

    /// PyTorch's default for Linear and Conv2d, weights then biases from one generator.
    func initialize(using rng: inout SeededGenerator) {
        pytorchDefaultInit(weight, count: weightCount, fanIn: fanIn, rng: &rng)
        pytorchDefaultInit(bias, count: outputs, fanIn: fanIn, rng: &rng)
    }
}
