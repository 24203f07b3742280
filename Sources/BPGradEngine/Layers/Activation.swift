import CKernels
import Foundation

/// Elementwise activations. Each keeps the tensor its derivative is cheapest from:
/// ReLU and leaky ReLU their input, tanh and sigmoid their output.
public final class Activation: Layer {
    public enum Function: Sendable, Equatable {
        case relu, leakyReLU(slope: Float), tanh, sigmoid
    }

    public let function: Function
    public let inputShape: Shape
    public var outputShape: Shape { inputShape }
    private var output = FloatBuffer(count: 0), inputGrad = FloatBuffer(count: 0)
    private var lastInput: UnsafePointer<Float>?

    public init(_ function: Function, shape: Shape) {
        self.function = function
        inputShape = shape
    }

    public var kind: String {
        switch function {
        case .relu: "relu"
        case .leakyReLU: "leaky_relu"
        case .tanh: "tanh"
        case .sigmoid: "sigmoid"
        }
    }

    public func reserve(batch: Int) {
        output = FloatBuffer(count: batch * inputShape.count)
        inputGrad = FloatBuffer(count: batch * inputShape.count)
    }

    public func forward(_ x: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float> {
        lastInput = x
        let n = batch * inputShape.count, y = output.pointer
        switch function {
        case .relu: bpg_relu(y, x, n)
        case .leakyReLU(let a): for i in 0..<n { y[i] = x[i] > 0 ? x[i] : a * x[i] }
        case .tanh: for i in 0..<n { y[i] = Foundation.tanh(x[i]) }
        case .sigmoid: for i in 0..<n { y[i] = 1 / (1 + Foundation.exp(-x[i])) }
        }
        return UnsafePointer(y)
    }

    public func backward(_ dy: UnsafePointer<Float>, batch: Int, needInputGradient: Bool, accumulate: Bool) -> UnsafePointer<Float> {
        guard let x = lastInput else { preconditionFailure("activation: backward before forward") }
        let n = batch * inputShape.count, y = output.pointer, dx = inputGrad.pointer
        switch function {
        case .relu: bpg_relu_backward(dx, x, dy, n)
        case .leakyReLU(let a): for i in 0..<n { dx[i] = x[i] > 0 ? dy[i] : a * dy[i] }
        case .tanh: for i in 0..<n { dx[i] = dy[i] * (1 - y[i] * y[i]) }
        case .sigmoid: for i in 0..<n { dx[i] = dy[i] * y[i] * (1 - y[i]) }
        }
        return UnsafePointer(dx)
    }
}

extension Activation {
    /// An activation keeps its input or output and its input gradient: two floats per value.
    private static func definition(_ name: String, options: [LayerOption] = [], describe: (@Sendable (LayerOptions) -> String)? = nil,
                                   _ function: @escaping @Sendable (LayerOptions) -> Function) -> LayerDefinition {
        LayerDefinition(name: name, options: options, describe: describe ?? { _ in name },
                        plan: { _, p in p.stage(p.input, floats: 2 * p.inputCount) },
                        make: { o, input, _ in Activation(function(o), shape: input) })
    }

    public static let reluDefinition = definition("relu") { _ in .relu }
    public static let leakyReLUDefinition = definition("leaky_relu", options: [.real("slope", default: 0.01)],
                                             describe: { o in "leaky_relu(\(Float(o.real("slope"))))" }) { o in .leakyReLU(slope: Float(o.real("slope"))) }
    public static let tanhDefinition = definition("tanh") { _ in .tanh }
    public static let sigmoidDefinition = definition("sigmoid") { _ in .sigmoid }
}

extension LayerSpec {
    public static let relu = LayerSpec(Activation.reluDefinition)
    public static func leakyReLU(slope: Double) -> LayerSpec { LayerSpec(Activation.leakyReLUDefinition, LayerOptions(reals: ["slope": slope])) }
    public static let tanh = LayerSpec(Activation.tanhDefinition)
    public static let sigmoid = LayerSpec(Activation.sigmoidDefinition)
}
