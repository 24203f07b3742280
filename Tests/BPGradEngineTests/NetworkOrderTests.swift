import BPGradEngine
import XCTest

/// The network runs a ReLU that precedes a max pooling after it instead, and a dense layer
/// applies the ReLU after it itself; outputs and every gradient must be those of the layers in
/// the preset's order.
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

    /// Dense then ReLU, fused and apart, bit for bit: outputs, overwritten and accumulated
    /// gradients, with widths that leave a remainder after 16 lanes, a ReLU as the last layer,
    /// a batch smaller than the one reserved, and inputs with NaN, -0 and +0.
    func testDenseWithItsReLUMatchesTheLayersApart() throws {
        let specs: [LayerSpec] = [.flatten, .dense(units: 20), .relu, .dense(units: 17), .relu, .dense(units: 3), .relu]
        let fused = try Network(specs: specs, inputShape: Shape([1, 4, 5]), seed: 7)
        let apart = try Network(specs: specs, inputShape: Shape([1, 4, 5]), seed: 7, fusing: false)
        XCTAssertEqual(fused.runOrder, ["flatten", "dense", "dense", "dense"])
        XCTAssertEqual(apart.runOrder, ["flatten", "dense", "relu", "dense", "relu", "dense", "relu"])
        XCTAssertEqual(fused.parameters.array, apart.parameters.array)
        var rng = SeededGenerator(seed: 4)
        for batch in [1, 7, 3] {
            fused.reserve(batch: batch); apart.reserve(batch: batch)
            var x = (0..<(batch * 20)).map { _ in Float(rng.uniform(-1, 0.8)) }
            if batch == 3 { x[5] = .nan; x[6] = -0.0; x[7] = 0 }
            let w = (0..<(batch * 3)).map { _ in Float(rng.uniform(-1, 1)) }
            func run(_ net: Network) -> (out: [UInt32], overwritten: [UInt32], accumulated: [UInt32]) {
                let out = x.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: net.forward($0.baseAddress!, batch: batch, training: true), count: batch * 3)) }
                w.withUnsafeBufferPointer { net.backward($0.baseAddress!, batch: batch, accumulate: false) }
                let overwritten = net.gradients.array
                w.withUnsafeBufferPointer { net.backward($0.baseAddress!, batch: batch, accumulate: true) }
                return (out.map(\.bitPattern), overwritten.map(\.bitPattern), net.gradients.array.map(\.bitPattern))
            }
            let a = run(fused), b = run(apart)
            XCTAssertEqual(a.out, b.out, "batch \(batch)")
            XCTAssertEqual(a.overwritten, b.overwritten, "batch \(batch)")
            XCTAssertEqual(a.accumulated, b.accumulated, "batch \(batch)")
            if batch != 3 {
                XCTAssertTrue(a.overwritten.contains { $0 != 0 } && a.out.contains(0), "the test needs active and inactive units")
            } else {
                XCTAssertTrue(a.out.contains { Float(bitPattern: $0).isNaN }, "the NaN should reach the output")
            }
        }
    }
}
