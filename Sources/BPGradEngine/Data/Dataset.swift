/// Samples in memory: features row-major, one target row per sample.
///
/// For classification a target is the class index stored as a Float (one column);
/// for regression it is the vector of `outputs` values.
public struct Dataset: Sendable {
    public enum Task: Sendable, Equatable {
        case classification(classes: Int)
        case regression(outputs: Int)

        public var targetWidth: Int {
            switch self {
            case .classification: 1
            case .regression(let k): k
            }
        }
    }

    /// The most classes a dataset may have: labels travel as bytes (decision boundaries, the
    /// dashboard's training points), so they are 0 to 255.
    public static let maxClasses = 256

    public var sampleShape: Shape
    public var task: Task
    public var features: Features
    public var targets: [Float]

    public init(sampleShape: Shape, task: Task, features: [Float], targets: [Float]) {
        self.init(sampleShape: sampleShape, task: task, features: Features(features), targets: targets)
    }

    public init(sampleShape: Shape, task: Task, features: Features, targets: [Float]) {
        precondition(features.count % max(sampleShape.count, 1) == 0, "features do not fill whole samples")
        self.sampleShape = sampleShape
        self.task = task
        self.features = features
        self.targets = targets
    }

    public var count: Int { sampleShape.count == 0 ? 0 : features.count / sampleShape.count }

    /// The subset at `indices`, in that order.
    public func subset(_ indices: [Int]) -> Dataset {
        let w = task.targetWidth
        var t = [Float](); t.reserveCapacity(indices.count * w)
        for i in indices { t.append(contentsOf: targets[(i * w)..<((i + 1) * w)]) }
        return Dataset(sampleShape: sampleShape, task: task, features: features.rows(indices, width: sampleShape.count), targets: t)
    }

    /// Splits off a seeded random `fraction` as the test set: at least one sample each way when
    /// there are two or more (fewer leave the test set empty, which the loader refuses).
    public func split(testFraction: Double, seed: UInt64) -> (train: Dataset, test: Dataset) {
        var order = Array(0..<count)
        var rng = SeededGenerator(seed: seed, stream: 0x5B1)
        rng.shuffle(&order)
        let nTest = count < 2 ? 0 : min(count - 1, max(1, Int((Double(count) * testFraction).rounded())))
        return (subset(Array(order[nTest...])), subset(Array(order[..<nTest])))
    }
}
