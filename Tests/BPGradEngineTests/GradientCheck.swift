import BPGradEngine
import XCTest

/// Central finite differences against a layer's backward pass, on the scalar objective
/// sum(w * forward(x)) for fixed random weights w (so d objective / d output = w).
///
/// The differences are taken on `reference` (the layer's forward pass written in Double) with
/// a small step: the layer's own output must match the reference, and its Float32 gradients
/// must agree with the reference's to `referenceTolerance`. Then the accumulation contract.
func checkGradients(_ layer: any Layer, batch: Int, seed: UInt64 = 7, reference: ReferenceForward.Function,
                    referenceTolerance: Double = 2e-4, file: StaticString = #filePath, line: UInt = #line) {
    var rng = SeededGenerator(seed: seed)
    let inCount = batch * layer.inputShape.count, outCount = batch * layer.outputShape.count
    let params = FloatBuffer(count: layer.parameterCount), grads = FloatBuffer(count: layer.parameterCount)
    layer.bind(parameters: params.pointer, gradients: grads.pointer)
    layer.initialize(using: &rng)
    layer.reserve(batch: batch)
    let x = FloatBuffer(count: inCount)
    for i in 0..<inCount { x[i] = Float(rng.uniform(-1, 1)) }
    var w = [Float](repeating: 0, count: outCount)
    for i in 0..<outCount { w[i] = Float(rng.uniform(-1, 1)) }

    _ = layer.forward(x.pointer, batch: batch, training: true)
    grads.zero()
    let dx = w.withUnsafeBufferPointer { layer.backward($0.baseAddress!, batch: batch, needInputGradient: true) }
    let analyticInput = Array(UnsafeBufferPointer(start: dx, count: inCount))
    let analyticParams = grads.array

    do {
        // Exact arithmetic: the objective in Double on the reference, a step small enough that
        // the central difference's error is far below Float32's.
        let xd = x.array.map(Double.init), pd = params.array.map(Double.init), wd = w.map(Double.init)
        func objectiveD(_ xs: [Double], _ ps: [Double]) -> Double { zip(reference(xs, ps, batch), wd).reduce(0) { $0 + $1.0 * $1.1 } }
        let y = layer.forward(x.pointer, batch: batch, training: true)
        let expected = reference(xd, pd, batch)
        let outWorst = (0..<outCount).map { abs(Double(y[$0]) - expected[$0]) / max(1, abs(expected[$0])) }.max() ?? 0
        XCTAssertLessThan(outWorst, 1e-5, "\(layer.kind): forward differs from the Double reference", file: file, line: line)
        func compareD(_ analytic: [Float], input: Bool, _ what: String) {
            let hd = 1e-6
            var worst = 0.0
            for i in 0..<analytic.count {
                var xs = xd, ps = pd
                if input { xs[i] += hd } else { ps[i] += hd }
                let up = objectiveD(xs, ps)
                if input { xs[i] -= 2 * hd } else { ps[i] -= 2 * hd }
                let down = objectiveD(xs, ps)
                let numeric = (up - down) / (2 * hd)
                worst = max(worst, abs(numeric - Double(analytic[i])) / max(1, abs(numeric)))
            }
            XCTAssertLessThan(worst, referenceTolerance, "\(layer.kind): \(what) gradient differs from the Double reference's", file: file, line: line)
        }
        compareD(analyticInput, input: true, "input")
        if layer.parameterCount > 0 { compareD(analyticParams, input: false, "parameter") }
    }

    // The accumulation contract: a second backward adds the same gradient again, and
    // `accumulate: false` overwrites whatever the gradient buffer held.
    guard layer.parameterCount > 0 else { return }
    func close(_ a: [Float], _ b: [Float], _ what: String) {
        let worst = zip(a, b).map { Double(abs($0 - $1)) / max(1e-3, Double(abs($1))) }.max() ?? 0
        XCTAssertLessThan(worst, 1e-5, "\(layer.kind): \(what)", file: file, line: line)
    }
    _ = layer.forward(x.pointer, batch: batch, training: true)
    _ = w.withUnsafeBufferPointer { layer.backward($0.baseAddress!, batch: batch, needInputGradient: true) }
    close(grads.array, analyticParams.map { 2 * $0 }, "backward twice without zeroing gives twice the gradient")
    for i in 0..<grads.count { grads[i] = 1000 }
    _ = layer.forward(x.pointer, batch: batch, training: true)
    _ = w.withUnsafeBufferPointer { layer.backward($0.baseAddress!, batch: batch, needInputGradient: true, accumulate: false) }
    close(grads.array, analyticParams, "backward with accumulate: false overwrites the gradient")
}
