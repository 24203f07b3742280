import Foundation

/// `summary.json`: the run's state and each configuration's headline numbers.
///
/// Read leniently: a writer from before format version 1 wrote only `solvers`, with `solver`
/// holding the kind; any field may be missing, and then it is nil.
public struct RunSummary: Sendable, Equatable {
    public enum State: String, Sendable, Equatable { case running, finished, stopped }

    public struct Solver: Sendable, Equatable {
        public var solver: String
        public var kind: String?
        public var label: String?
        public var hyperparameters: [String: RunManifest.HyperparameterValue]
        /// As written: `running`, `paused`, `finished`, `diverged at step N`, `stopped`, `error: ...`.
        public var status: String?
        public var steps: Int?
        public var finalLoss: Double?
        public var bestLoss: Double?
        public var finalTestLoss: Double?
        public var bestTestAccuracy: Double?
        public var samplesPerSecond: Double?
        public var wallSeconds: Double?

        /// The status names an end: finished, diverged, stopped or an error.
        public var isDone: Bool { status.flatMap(SolverStatus.init(text:))?.isDone ?? false }
    }

    /// Nil when the file does not say (before format version 1), or says something unknown.
    public var state: State?
    public var updated: String?
    public var solvers: [Solver]

    /// Parses summary.json; nil when it is not a JSON object.
    public static func parse(_ data: Data) -> RunSummary? {
        guard let object = try? JSONSerialization.jsonObject(with: data), let json = object as? [String: Any] else { return nil }
        var s = RunSummary(state: (json["state"] as? String).flatMap(State.init(rawValue:)), updated: json["updated"] as? String, solvers: [])
        for item in (json["solvers"] as? [Any]) ?? [] {
            guard let o = item as? [String: Any], let name = o["solver"] as? String else { continue }
            var hyper: [String: RunManifest.HyperparameterValue] = [:]
            for (k, v) in (o["hyperparameters"] as? [String: Any]) ?? [:] {
                if let value = RunManifest.hyperparameterValue(v) { hyper[k] = value }
            }
            s.solvers.append(Solver(solver: name, kind: o["kind"] as? String, label: o["label"] as? String, hyperparameters: hyper,
                                    status: o["status"] as? String, steps: RunManifest.count(o["steps"]),
                                    finalLoss: RunManifest.number(o["final_loss"]), bestLoss: RunManifest.number(o["best_loss"]),
                                    finalTestLoss: RunManifest.number(o["final_test_loss"]),
                                    bestTestAccuracy: RunManifest.number(o["best_test_accuracy"]),
                                    samplesPerSecond: RunManifest.number(o["samples_per_second"]),
                                    wallSeconds: RunManifest.number(o["wall_seconds"])))
        }
        return s
    }
}
