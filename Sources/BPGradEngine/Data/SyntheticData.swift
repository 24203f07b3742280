import Foundation

/// Seeded 2-D toy problems (and a 1-D regression), in the spirit of scikit-learn's generators.
public enum SyntheticData {
    /// Generates `n` samples; `noise` is the standard deviation of Gaussian jitter.
    public static func make(_ kind: SyntheticKind, n: Int, noise: Double, classes: Int, seed: UInt64) -> Dataset {
        var rng = SeededGenerator(seed: seed, stream: 0xDA7A)
        var features = [Float](), targets = [Float]()
        features.reserveCapacity(2 * n); targets.reserveCapacity(n)
        func add(_ x: Double, _ y: Double, _ label: Int) {
            features.append(Float(x + noise * rng.normal()))
            features.append(Float(y + noise * rng.normal()))
            targets.append(Float(label))
        }
        switch kind {
        case .spirals:
            // Arms of a spiral, each turning 1.25 revolutions outward from the centre.
            for i in 0..<n {
                let arm = i % classes, t = Double(i / classes) / Double(max(1, (n + classes - 1) / classes - 1))
                let radius = 0.1 + 0.9 * t, angle = 2 * .pi * Double(arm) / Double(classes) + t * 2.5 * .pi
                add(radius * cos(angle), radius * sin(angle), arm)
            }
        case .moons:
            for i in 0..<n {
                let t = rng.uniform(0, .pi)
                if i % 2 == 0 { add(cos(t), sin(t), 0) } else { add(1 - cos(t), 0.5 - sin(t), 1) }
            }
        case .circles:
            for i in 0..<n {
                let t = rng.uniform(0, 2 * .pi), r = i % 2 == 0 ? 1.0 : 0.5
                add(r * cos(t), r * sin(t), i % 2)
            }
        case .xor:
            for _ in 0..<n {
                let x = rng.uniform(-1, 1), y = rng.uniform(-1, 1)
                add(x, y, (x > 0) != (y > 0) ? 1 : 0)
            }
        case .blobs:
            for i in 0..<n {
                let c = i % classes, angle = 2 * .pi * Double(c) / Double(classes)
                add(3 * cos(angle), 3 * sin(angle), c)
            }
        case .sine:
            for _ in 0..<n {
                let x = rng.uniform(-.pi, .pi)
                features.append(Float(x))
                targets.append(Float(sin(x) + noise * rng.normal()))
            }
            return Dataset(sampleShape: Shape([1]), task: .regression(outputs: 1), features: features, targets: targets)
        }
        return Dataset(sampleShape: Shape([2]), task: .classification(classes: kind == .moons || kind == .circles || kind == .xor ? 2 : classes),
                       features: features, targets: targets)
    }
}
