import Foundation

extension RunSummary {
    /// summary.json as of `snapshot`.
    public init(state: State, updated: Date, snapshot: SessionSnapshot) {
        self.init(state: state, updated: ISO8601DateFormatter().string(from: updated), solvers: snapshot.configurations.map(Solver.init))
    }

    /// The JSON the format describes: every field present, null where there is no value yet.
    public var jsonData: Data {
        func number(_ x: Double?) -> Any { x.flatMap { $0.isFinite ? $0 : nil } ?? NSNull() }
        let object: [String: Any] = [
            "format": RunManifest.format, "version": RunManifest.supportedVersion, "state": state?.rawValue ?? NSNull(),
            "updated": updated ?? NSNull(),
            "solvers": solvers.map { s -> [String: Any] in
                ["solver": s.solver, "kind": s.kind ?? NSNull(), "label": s.label ?? NSNull(),
                 "hyperparameters": s.hyperparameters.mapValues(\.json), "status": s.status ?? NSNull(), "steps": s.steps ?? NSNull(),
                 "final_loss": number(s.finalLoss), "best_loss": number(s.bestLoss), "final_test_loss": number(s.finalTestLoss),
                 "best_test_accuracy": number(s.bestTestAccuracy), "samples_per_second": number(s.samplesPerSecond),
                 "wall_seconds": number(s.wallSeconds)]
            },
        ]
        return RunManifest.encode(object)
    }
}

extension RunSummary.Solver {
    /// One configuration's line: status and headline numbers, samples/s as `Throughput` gives it.
    public init(_ m: ConfigurationMetrics) {
        self.init(solver: m.name, kind: m.kind.rawValue, label: m.label,
                  hyperparameters: RunManifest.HyperparameterValue.values(m.hyper), status: m.status.description, steps: m.step,
                  finalLoss: m.lossEMA, bestLoss: m.bestLoss, finalTestLoss: m.lastTestLoss, bestTestAccuracy: m.bestTestAccuracy,
                  samplesPerSecond: m.samplesPerSecond, wallSeconds: m.trainingSeconds)
    }
}
