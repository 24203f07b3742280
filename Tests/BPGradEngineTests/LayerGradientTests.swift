import Foundation
import BPGradEngine
import XCTest

final class LayerGradientTests: XCTestCase {
    func testDense() { checkGradients(Dense(inputs: 5, units: 4), batch: 3, reference: ReferenceForward.dense(inputs: 5, units: 4)) }

    func testConv2DWithPaddingAndStride() {
        for backend in [Conv2D.Backend.oneDNN, .im2col] {
            checkGradients(Conv2D(input: Shape([2, 6, 5]), filters: 3, kernel: 3, stride: 2, padding: 1, backend: backend)!, batch: 2,
                           reference: ReferenceForward.conv2d(channels: 2, height: 6, width: 5, filters: 3, kernel: 3, stride: 2, padding: 1))
        }
    }

    /// A budget of one sample's patches: forward and backward run block by block.
    func testConv2DInSeveralBlocks() {
        checkGradients(Conv2D(input: Shape([2, 5, 5]), filters: 3, kernel: 3, stride: 1, padding: 1, blockBudget: 18 * 25,
                              backend: .im2col)!, batch: 3,
                       reference: ReferenceForward.conv2d(channels: 2, height: 5, width: 5, filters: 3, kernel: 3, stride: 1, padding: 1))
    }

    func testConv2DPlain() {
        for backend in [Conv2D.Backend.oneDNN, .im2col] {
            checkGradients(Conv2D(input: Shape([1, 5, 5]), filters: 2, kernel: 3, stride: 1, padding: 0, backend: backend)!, batch: 2,
                           reference: ReferenceForward.conv2d(channels: 1, height: 5, width: 5, filters: 2, kernel: 3, stride: 1, padding: 0))
        }
    }

    /// LeNet-like shapes: an image input that oneDNN reads plain, and a deeper layer it runs
    /// channels-last; the two backends agree on outputs and on every gradient.
    func testConv2DBackendsAgree() {
        for (shape, filters, padding) in [(Shape([1, 8, 8]), 6, 2), (Shape([6, 7, 7]), 16, 0)] {
            let batch = 3
            var outputs: [[Float]] = [], grads: [[Float]] = [], inputGrads: [[Float]] = []
            for backend in [Conv2D.Backend.oneDNN, .im2col] {
                let conv = Conv2D(input: shape, filters: filters, kernel: 5, stride: 1, padding: padding, backend: backend)!
                let params = FloatBuffer(count: conv.parameterCount), g = FloatBuffer(count: conv.parameterCount)
                conv.bind(parameters: params.pointer, gradients: g.pointer)
                var rng = SeededGenerator(seed: 11)
                conv.initialize(using: &rng)
                conv.reserve(batch: batch)
                XCTAssertEqual(conv.effectiveBackend(batch: batch), backend)
                let x = (0..<(batch * shape.count)).map { _ in Float(rng.uniform(-1, 1)) }
                let outCount = batch * conv.outputShape.count
                let dy = (0..<outCount).map { _ in Float(rng.uniform(-1, 1)) }
                let y = x.withUnsafeBufferPointer { conv.forward($0.baseAddress!, batch: batch, training: true) }
                outputs.append(Array(UnsafeBufferPointer(start: y, count: outCount)))
                let dx = dy.withUnsafeBufferPointer { conv.backward($0.baseAddress!, batch: batch, needInputGradient: true) }
                inputGrads.append(Array(UnsafeBufferPointer(start: dx, count: x.count)))
                grads.append(g.array)
            }
            for (name, pair) in [("output", outputs), ("parameter gradient", grads), ("input gradient", inputGrads)] {
                let worst = zip(pair[0], pair[1]).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
                XCTAssertLessThan(worst, 1e-4, "conv2d \(shape): oneDNN and im2col \(name)s differ")
            }
        }
    }

    func testMaxPool() {
        checkGradients(MaxPool2D(input: Shape([2, 4, 6]), size: 2, stride: 2)!, batch: 2,
                       reference: ReferenceForward.maxPool(channels: 2, height: 4, width: 6, size: 2, stride: 2))
    }

    /// Overlapping 3x3 windows, stride 2: the general loop, and gradients that add up.
    func testMaxPoolOverlapping() {
        checkGradients(MaxPool2D(input: Shape([2, 7, 5]), size: 3, stride: 2)!, batch: 2,
                       reference: ReferenceForward.maxPool(channels: 2, height: 7, width: 5, size: 3, stride: 2))
    }

    func testActivations() {
        checkGradients(Activation(.tanh, shape: Shape([7])), batch: 3, reference: ReferenceForward.elementwise { Foundation.tanh($0) })
        checkGradients(Activation(.sigmoid, shape: Shape([7])), batch: 3, reference: ReferenceForward.elementwise { 1 / (1 + exp(-$0)) })
        checkGradients(Activation(.relu, shape: Shape([7])), batch: 3, reference: ReferenceForward.elementwise { max(0, $0) })
        checkGradients(Activation(.leakyReLU(slope: 0.1), shape: Shape([7])), batch: 3,
                       reference: ReferenceForward.elementwise { $0 > 0 ? $0 : 0.1 * $0 })
    }

    func testFlattenPassesThrough() { checkGradients(Flatten(shape: Shape([2, 3, 2])), batch: 2, reference: ReferenceForward.elementwise { $0 }) }

    /// Dropout's mask is redrawn every forward pass, so it is checked by its definition:
    /// the backward pass multiplies by the same mask the forward pass used.
    func testDropoutBackwardUsesForwardMask() {
        let d = Dropout(rate: 0.5, shape: Shape([100]), seed: 3)
        d.reserve(batch: 2)
        let x = [Float](repeating: 1, count: 200), dy = [Float](repeating: 1, count: 200)
        let y = Array(UnsafeBufferPointer(start: x.withUnsafeBufferPointer { d.forward($0.baseAddress!, batch: 2, training: true) }, count: 200))
        let dx = Array(UnsafeBufferPointer(start: dy.withUnsafeBufferPointer { d.backward($0.baseAddress!, batch: 2, needInputGradient: true) }, count: 200))
        XCTAssertEqual(y, dx)
        XCTAssertTrue(y.allSatisfy { $0 == 0 || $0 == 2 })
        let kept = y.filter { $0 > 0 }.count
        XCTAssertTrue((60...140).contains(kept), "kept \(kept) of 200 at rate 0.5")
        let evalOut = x.withUnsafeBufferPointer { d.forward($0.baseAddress!, batch: 2, training: false) }
        XCTAssertEqual(Array(UnsafeBufferPointer(start: evalOut, count: 200)), x)
    }
}
