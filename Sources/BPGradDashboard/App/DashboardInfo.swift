import BPGradEngine
import Foundation

/// What the dashboard knows about the session that does not change while it runs.
public struct DashboardInfo: Sendable {
    public var presetName: String
    public var datasetName: String
    public var networkSummary: String
    public var parameterCount: Int
    public var stepsPerEpoch: Int
    public var runDirectory: String?
    /// Where the data comes from: this process's own session, or run directories read back.
    public var source: Source = .live
    /// A line of news for the header, refreshed by the app (a quiet writer, a finished run).
    public var note: String?

    public enum Source: Sendable, Equatable {
        case live
        /// Finished runs, read once (`view`).
        case view
        /// A run another process is writing, steered through commands.jsonl (`watch`).
        case watch
    }
    /// For 2-D classification data: training points (at most 600) with their classes, and the
    /// plane region decision boundaries are drawn over. Nil for any other data.
    public var plane: Plane?

    public struct Plane: Sendable {
        public var points: [SIMD2<Float>]
        public var labels: [UInt8]
        public var classes: Int
        public var x: ClosedRange<Double>, y: ClosedRange<Double>

        public init(points: [SIMD2<Float>], labels: [UInt8], classes: Int, x: ClosedRange<Double>, y: ClosedRange<Double>) {
            self.points = points; self.labels = labels; self.classes = classes; self.x = x; self.y = y
        }
    }

    public init(presetName: String, datasetName: String, networkSummary: String, parameterCount: Int,
                stepsPerEpoch: Int, runDirectory: String?) {
        self.presetName = presetName; self.datasetName = datasetName; self.networkSummary = networkSummary
        self.parameterCount = parameterCount; self.stepsPerEpoch = max(1, stepsPerEpoch); self.runDirectory = runDirectory
    }

    /// What run.json says of a run read back (the first run's, when several are overlaid).
    public init(manifest: RunManifest?, runDirectory: String, source: Source) {
        let m = manifest
        let perEpoch = m?.stepsPerEpoch ?? 1
        self.init(presetName: m?.preset ?? URL(fileURLWithPath: runDirectory).lastPathComponent, datasetName: m?.dataset ?? "",
                  networkSummary: m?.network ?? "", parameterCount: m?.parameters ?? 0, stepsPerEpoch: perEpoch,
                  runDirectory: runDirectory)
        self.source = source
    }

    public init(experiment: Experiment, runDirectory: String?) {
        let p = experiment.preset
        let split = experiment.data.note == nil ? "" : ", \(experiment.data.test.count) held out as test"
        self.init(presetName: p.name, datasetName: "\(experiment.data.name) (\(experiment.data.train.count) train\(split))",
                  networkSummary: p.network.map(\.description).joined(separator: " "),
                  parameterCount: experiment.parameterCount,
                  stepsPerEpoch: (experiment.data.train.count + p.training.batchSize - 1) / max(1, p.training.batchSize),
                  runDirectory: runDirectory)
        let train = experiment.data.train
        if case .classification(let k) = train.task, train.sampleShape == Shape([2]), train.count > 0 {
            let stride = max(1, train.count / 600)
            var points = [SIMD2<Float>](), labels = [UInt8]()
            for i in Swift.stride(from: 0, to: train.count, by: stride) {
                points.append(SIMD2(train.features[2 * i], train.features[2 * i + 1]))
                labels.append(UInt8(train.targets[i]))
            }
            let xs = points.map { Double($0.x) }, ys = points.map { Double($0.y) }
            let mx = 0.1 * (xs.max()! - xs.min()! + 1e-6), my = 0.1 * (ys.max()! - ys.min()! + 1e-6)
            plane = Plane(points: points, labels: labels, classes: k, x: (xs.min()! - mx)...(xs.max()! + mx), y: (ys.min()! - my)...(ys.max()! + my))
        }
    }
}
