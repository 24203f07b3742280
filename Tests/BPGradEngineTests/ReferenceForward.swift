import Foundation

/// The layers' forward passes in Double, written from their definitions (PyTorch's layouts):
/// the reference the finite differences of `checkGradients` are taken on, so a gradient is
/// checked against exact arithmetic rather than against the Float32 code that made it.
/// Each takes the batch's inputs and the layer's parameters, and returns the outputs.
enum ReferenceForward {
    typealias Function = (_ x: [Double], _ parameters: [Double], _ batch: Int) -> [Double]

    /// y = W x + b, W stored [units][inputs], then b.
    static func dense(inputs: Int, units: Int) -> Function {
        { x, p, batch in
            var y = [Double](repeating: 0, count: batch * units)
            for n in 0..<batch {
                for u in 0..<units {
                    var s = p[units * inputs + u]
                    for i in 0..<inputs { s += p[u * inputs + i] * x[n * inputs + i] }
                    y[n * units + u] = s
                }
            }
            return y
        }
    }

    /// Cross-correlation with zero padding; weights [filters][channels][k][k], then biases.
    static func conv2d(channels c: Int, height h: Int, width w: Int, filters f: Int, kernel k: Int, stride s: Int, padding pad: Int) -> Function {
        let oh = (h + 2 * pad - k) / s + 1, ow = (w + 2 * pad - k) / s + 1
        return { x, p, batch in
            var y = [Double](repeating: 0, count: batch * f * oh * ow)
            for n in 0..<batch {
                for o in 0..<f {
                    for r in 0..<oh {
                        for q in 0..<ow {
                            var acc = p[f * c * k * k + o]
                            for ch in 0..<c {
                                for i in 0..<k {
                                    for j in 0..<k {
                                        let ir = r * s + i - pad, iq = q * s + j - pad
                                        guard ir >= 0, ir < h, iq >= 0, iq < w else { continue }
                                        acc += p[((o * c + ch) * k + i) * k + j] * x[((n * c + ch) * h + ir) * w + iq]
                                    }
                                }
                            }
                            y[((n * f + o) * oh + r) * ow + q] = acc
                        }
                    }
                }
            }
            return y
        }
    }

    /// The maximum of each window (no padding).
    static func maxPool(channels c: Int, height h: Int, width w: Int, size k: Int, stride s: Int) -> Function {
        let oh = (h - k) / s + 1, ow = (w - k) / s + 1
        return { x, _, batch in
            var y = [Double](repeating: 0, count: batch * c * oh * ow)
            for n in 0..<batch {
                for ch in 0..<c {
                    for r in 0..<oh {
                        for q in 0..<ow {
                            var m = -Double.infinity
                            for i in 0..<k { for j in 0..<k { m = max(m, x[((n * c + ch) * h + r * s + i) * w + q * s + j]) } }
                            y[((n * c + ch) * oh + r) * ow + q] = m
                        }
                    }
                }
            }
            return y
        }
    }

    static func elementwise(_ f: @escaping (Double) -> Double) -> Function { { x, _, _ in x.map(f) } }
}
