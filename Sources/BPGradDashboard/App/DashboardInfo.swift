import BPGradEngine

/// What the dashboard knows about the session that does not change while it runs.
public struct DashboardInfo: Sendable {
    public var presetName: String
    public var datasetName: String
    public var networkSummary: String
    public var parameterCount: Int
    public var stepsPerEpoch: Int
    public var runDirectory: String?

    public init(presetName: String, datasetName: String, networkSummary: String, parameterCount: Int,
                stepsPerEpoch: Int, runDirectory: String?) {
        self.presetName = presetName; self.datasetName = datasetName; self.networkSummary = networkSummary
        self.parameterCount = parameterCount; self.stepsPerEpoch = max(1, stepsPerEpoch); self.runDirectory = runDirectory
    }

    public init(experiment: Experiment, runDirectory: String?) {
        let p = experiment.preset
        self.init(presetName: p.name, datasetName: "\(experiment.data.name) (\(experiment.data.train.count) train)",
                  networkSummary: p.network.map(\.description).joined(separator: " "),
                  parameterCount: experiment.parameterCount,
                  stepsPerEpoch: (experiment.data.train.count + p.training.batchSize - 1) / max(1, p.training.batchSize),
                  runDirectory: runDirectory)
    }
}
