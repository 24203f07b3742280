import Foundation
import BPGradEngine
import XCTest

final class LossTests: XCTestCase {
    private func numericCheck(count: Int, loss: (UnsafePointer<Float>, UnsafeMutablePointer<Float>?) -> Double) {
        var rng = SeededGenerator(seed: 11)
        var z = (0..<count).map { _ in Float(rng.uniform(-2, 2)) }
        var g = [Float](repeating: 0, count: count)
        _ = z.withUnsafeBufferPointer { zp in g.withUnsafeMutableBufferPointer { loss(zp.baseAddress!, $0.baseAddress!) } }
        let h: Float = 1e-2
        for i in 0..<count {
            let saved = z[i]
            z[i] = saved + h; let up = z.withUnsafeBufferPointer { loss($0.baseAddress!, nil) }
            z[i] = saved - h; let down = z.withUnsafeBufferPointer { loss($0.baseAddress!, nil) }
            z[i] = saved
            XCTAssertEqual(Double(g[i]), (up - down) / Double(2 * h), accuracy: 2e-3, "component \(i)")
        }
    }

    func testCrossEntropyGradient() {
        let labels: [Float] = [0, 2, 1]
        numericCheck(count: 12) { z, g in
            labels.withUnsafeBufferPointer { LossFunction.crossEntropy(logits: z, labels: $0.baseAddress!, batch: 3, classes: 4, gradient: g).loss }
        }
    }

    func testMeanSquaredErrorGradient() {
        let targets: [Float] = [0.5, -1, 2, 0, 1, 1]
        numericCheck(count: 6) { z, g in
            targets.withUnsafeBufferPointer { LossFunction.meanSquaredError(outputs: z, targets: $0.baseAddress!, count: 6, gradient: g).loss }
        }
    }

    /// Loss and gradient against the closed forms evaluated in Double: the mean of
    /// log-sum-exp minus the label's logit, and (softmax - one-hot) / batch.
    func testCrossEntropyMatchesDoubleReference() {
        var rng = SeededGenerator(seed: 5)
        let batch = 4, classes = 5
        let z = (0..<batch * classes).map { _ in Float(rng.uniform(-6, 6)) }
        let labels: [Float] = [0, 4, 2, 2]
        var g = [Float](repeating: 0, count: z.count)
        let r = z.withUnsafeBufferPointer { zp in labels.withUnsafeBufferPointer { lp in g.withUnsafeMutableBufferPointer {
            LossFunction.crossEntropy(logits: zp.baseAddress!, labels: lp.baseAddress!, batch: batch, classes: classes, gradient: $0.baseAddress!)
        } } }
        var loss = 0.0
        for b in 0..<batch {
            let row = (0..<classes).map { Double(z[b * classes + $0]) }, label = Int(labels[b])
            let m = row.max()!, logSum = m + Foundation.log(row.map { Foundation.exp($0 - m) }.reduce(0, +))
            loss += (logSum - row[label]) / Double(batch)
            for c in 0..<classes {
                let expected = (Foundation.exp(row[c] - logSum) - (c == label ? 1 : 0)) / Double(batch)
                XCTAssertEqual(Double(g[b * classes + c]), expected, accuracy: 1e-7, "sample \(b), class \(c)")
            }
        }
        XCTAssertEqual(r.loss, loss, accuracy: 1e-6 * loss)
    }

    func testMeanSquaredErrorMatchesDoubleReference() {
        let y: [Float] = [0.3, -1.7, 2.25, 0, 5], t: [Float] = [0.5, -1, 2, 0.125, -3]
        var g = [Float](repeating: 0, count: y.count)
        let r = y.withUnsafeBufferPointer { yp in t.withUnsafeBufferPointer { tp in g.withUnsafeMutableBufferPointer {
            LossFunction.meanSquaredError(outputs: yp.baseAddress!, targets: tp.baseAddress!, count: y.count, gradient: $0.baseAddress!)
        } } }
        let d = zip(y, t).map { Double($0) - Double($1) }
        XCTAssertEqual(r.loss, d.map { $0 * $0 }.reduce(0, +) / Double(y.count), accuracy: 1e-12)
        for i in d.indices { XCTAssertEqual(Double(g[i]), 2 * d[i] / Double(y.count), accuracy: 1e-6, "output \(i)") }
    }

    func testCrossEntropyIsStableForHugeLogits() {
        let z: [Float] = [1000, 0, -1000], label: [Float] = [1]
        let r = z.withUnsafeBufferPointer { zp in label.withUnsafeBufferPointer {
            LossFunction.crossEntropy(logits: zp.baseAddress!, labels: $0.baseAddress!, batch: 1, classes: 3, gradient: nil)
        } }
        XCTAssertEqual(r.loss, 1000, accuracy: 1e-3)
        XCTAssertEqual(r.correct, 0)
    }

    func testCrossEntropyKnownValue() {
        // log(sum exp) - z_label for z = (1, 2, 3), label 2: log(e + e^2 + e^3) - 3.
        let z: [Float] = [1, 2, 3], label: [Float] = [2]
        let r = z.withUnsafeBufferPointer { zp in label.withUnsafeBufferPointer {
            LossFunction.crossEntropy(logits: zp.baseAddress!, labels: $0.baseAddress!, batch: 1, classes: 3, gradient: nil)
        } }
        XCTAssertEqual(r.loss, 0.40760596, accuracy: 1e-6)
        XCTAssertEqual(r.correct, 1)
    }
}
