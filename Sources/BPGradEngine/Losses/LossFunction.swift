import Foundation

/// Evaluates a loss and its gradient with respect to the network output into a reusable buffer.
public enum LossFunction {
    /// Softmax cross-entropy with a stable log-sum-exp. `labels` hold class indices as Float.
    /// When `gradient` is non-nil it receives d(mean loss)/d(logits).
    public static func crossEntropy(
        logits: UnsafePointer<Float>, labels: UnsafePointer<Float>, batch: Int, classes: Int,
        gradient: UnsafeMutablePointer<Float>?
    ) -> LossResult {
        var total = 0.0, correct = 0
        let invBatch = 1 / Float(batch)
        for b in 0..<batch {
            let z = logits + b * classes, label = Int(labels[b])
            var maxZ = z[0], arg = 0
            for c in 1..<classes where z[c] > maxZ { maxZ = z[c]; arg = c }
            if maxZ.isNaN { maxZ = 0 }
            // One exp per logit: the gradient row keeps exp(z - max) until the sum is known
            // (the sum is at least 1, from the largest logit, unless a logit is NaN).
            var sum: Float = 0
            if let g = gradient {
                let row = g + b * classes
                for c in 0..<classes { let e = Foundation.exp(z[c] - maxZ); row[c] = e; sum += e }
                let scale = invBatch / sum
                for c in 0..<classes { row[c] *= scale }
                row[label] -= invBatch
            } else {
                for c in 0..<classes { sum += Foundation.exp(z[c] - maxZ) }
            }
            let logSum = Foundation.log(sum) + maxZ
            total += Double(logSum - z[label])
            if arg == label { correct += 1 }
        }
        return LossResult(loss: total / Double(batch), correct: correct)
    }

    /// Mean squared error over every output of every sample.
    public static func meanSquaredError(
        outputs: UnsafePointer<Float>, targets: UnsafePointer<Float>, count: Int,
        gradient: UnsafeMutablePointer<Float>?
    ) -> LossResult {
        var total = 0.0
        let scale = 2 / Float(count)
        for i in 0..<count {
            let d = outputs[i] - targets[i]
            total += Double(d) * Double(d)
            gradient?[i] = scale * d
        }
        return LossResult(loss: total / Double(count), correct: 0)
    }
}
