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
