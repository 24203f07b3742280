import BPGradEngine
import XCTest

final class LayerGradientTests: XCTestCase {
    func testDense() { checkGradients(Dense(inputs: 5, units: 4), batch: 3) }

    func testConv2DWithPaddingAndStride() {
        checkGradients(Conv2D(input: Shape([2, 6, 5]), filters: 3, kernel: 3, stride: 2, padding: 1)!, batch: 2)
    }

    /// A budget of one sample's patches: forward and backward run block by block.
    func testConv2DInSeveralBlocks() {
        checkGradients(Conv2D(input: Shape([2, 5, 5]), filters: 3, kernel: 3, stride: 1, padding: 1, blockBudget: 18 * 25)!, batch: 3)
    }

    func testConv2DPlain() {
        checkGradients(Conv2D(input: Shape([1, 5, 5]), filters: 2, kernel: 3, stride: 1, padding: 0)!, batch: 2)
    }

    func testMaxPool() { checkGradients(MaxPool2D(input: Shape([2, 4, 6]), size: 2, stride: 2)!, batch: 2, step: 1e-3) }

    func testActivations() {
        checkGradients(Activation(.tanh, shape: Shape([7])), batch: 3)
        checkGradients(Activation(.sigmoid, shape: Shape([7])), batch: 3)
        checkGradients(Activation(.relu, shape: Shape([7])), batch: 3, step: 1e-3)
        checkGradients(Activation(.leakyReLU(slope: 0.1), shape: Shape([7])), batch: 3, step: 1e-3)
    }

    func testFlattenPassesThrough() { checkGradients(Flatten(shape: Shape([2, 3, 2])), batch: 2) }

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
