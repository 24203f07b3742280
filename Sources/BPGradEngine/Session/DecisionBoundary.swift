/// A solver's predicted class over a rectangle of the input plane (2-D classification only).
public struct DecisionBoundary: Sendable, Equatable {
    /// The plane region and the pixel grid to evaluate, row 0 at the top (largest y).
    public struct Request: Sendable, Equatable {
        public var x: ClosedRange<Double>, y: ClosedRange<Double>
        public var width: Int, height: Int

        public init(x: ClosedRange<Double>, y: ClosedRange<Double>, width: Int, height: Int) {
            self.x = x; self.y = y; self.width = max(1, width); self.height = max(1, height)
        }

        /// Pixel centres, row-major, as network inputs.
        public var points: [Float] {
            var out = [Float]()
            out.reserveCapacity(width * height * 2)
            for r in 0..<height {
                let py = y.upperBound - (Double(r) + 0.5) / Double(height) * (y.upperBound - y.lowerBound)
                for c in 0..<width {
                    out.append(Float(x.lowerBound + (Double(c) + 0.5) / Double(width) * (x.upperBound - x.lowerBound)))
                    out.append(Float(py))
                }
            }
            return out
        }
    }

    public var request: Request
    /// The most probable class at each pixel.
    public var classes: [UInt8]
    /// Its softmax probability.
    public var confidence: [Float]
    /// The training step the weights came from.
    public var step: Int

    /// Softmax over each pixel's logits.
    public init(request: Request, logits: [Float], classCount: Int, step: Int) {
        self.request = request
        self.step = step
        let n = request.width * request.height
        classes = [UInt8](repeating: 0, count: n)
        confidence = [Float](repeating: 0, count: n)
        for i in 0..<n {
            let z = logits[(i * classCount)..<((i + 1) * classCount)]
            let top = z.max() ?? 0
            var sum: Float = 0
            for v in z { sum += (v - top).isFinite ? expf(v - top) : 0 }
            let best = z.firstIndex(of: top).map { $0 - i * classCount } ?? 0
            classes[i] = UInt8(best)
            confidence[i] = sum > 0 ? 1 / sum : 0
        }
    }
}

import Foundation
