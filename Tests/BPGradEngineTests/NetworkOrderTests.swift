import BPGradEngine
import XCTest

/// The network runs a ReLU that precedes a max pooling after it instead; outputs and every
/// gradient must be those of the layers in the preset's order.
final class NetworkOrderTests: XCTestCase {
    func testReLUBeforePoolingMatchesThePresetOrder() throws {
        let specs: [LayerSpec] = [.conv2d(filters: 4, kernel: 3, stride: 1, padding: 1), .relu, .maxpool2d(size: 2, stride: 2),
                                  .conv2d(filters: 3, kernel: 3, stride: 1, padding: 0), .relu, .maxpool2d(size: 3, stride: 1),
                                  .flatten, .dense(units: 5)]
        let net = try Network(specs: specs, inputShape: Shape([2, 10, 10]), seed: 5)
        let batch = 3
        net.reserve(batch: batch)
        var rng = SeededGenerator(seed: 9)
        // Values around zero, so that some windows hold no positive value at all.
        let x = (0..<(batch * 200)).map { _ in Float(rng.uniform(-1, 0.6)) }
        let w = (0..<(batch * 5)).map { _ in Float(rng.uniform(-1, 1)) }

        let planned = x.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: net.forward($0.baseAddress!, batch: batch, training: true), count: batch * 5)) }
        net.zeroGradients()
        w.withUnsafeBufferPointer { net.backward($0.baseAddress!, batch: batch) }
        let plannedGrads = net.gradients.array

        // The same layers, one by one in the preset's order.
        for layer in net.layers { layer.reserve(batch: batch) }
        let h = x.withUnsafeBufferPointer { p in
            var v = p.baseAddress!
            for layer in net.layers { v = layer.forward(v, batch: batch, training: true) }
            return v
        }
        let ordered = Array(UnsafeBufferPointer(start: h, count: batch * 5))
        net.zeroGradients()
        w.withUnsafeBufferPointer { p in
            var g = p.baseAddress!
            for (i, layer) in net.layers.enumerated().reversed() { g = layer.backward(g, batch: batch, needInputGradient: i > 0) }
        }
        XCTAssertEqual(planned, ordered)
        XCTAssertEqual(plannedGrads, net.gradients.array)
        XCTAssertTrue(plannedGrads.contains { $0 != 0 })
    }
}
