import Foundation

/// Drives a trainer for a number of steps: evaluates on schedule, logs every step,
/// stops early when the solver diverges, the log cannot be written, or `shouldStop` says so.
public struct TrainingRun {
    public struct Summary: Sendable {
        public var solver: String
        public var steps: Int
        /// Mean training loss over the last `min(100, steps)` steps.
        public var finalTrainLoss: Double
        public var testLoss: Double?
        public var testAccuracy: Double?
        public var samplesPerSecond: Double
        public var wallSeconds: Double
        public var divergedAt: Int?
        /// The run was asked to stop (a signal) after this many steps.
        public var stoppedEarly: Bool
        /// The log's first write error: the run stopped there rather than train unrecorded.
        public var logFailure: EngineError?
    }

    public let trainer: Trainer
    public let steps: Int
    public let evalEvery: Int
    /// The configuration's name, for the CSV's `solver` column.
    public let name: String
    /// Asked before each step (a signal handler's flag): true ends the run there.
    public let shouldStop: () -> Bool

    public init(trainer: Trainer, steps: Int, evalEvery: Int, name: String? = nil, shouldStop: @escaping () -> Bool = { false }) {
        self.trainer = trainer
        self.steps = steps
        self.evalEvery = evalEvery
        self.name = name ?? trainer.solver.kind.rawValue
        self.shouldStop = shouldStop
    }

    /// Runs to the end (or divergence); `onStep` sees every row, which `log` also receives.
    public func run(log: LineWriter? = nil, onStep: (StepRecord) -> Void = { _ in }) -> Summary {
        let start = DispatchTime.now().uptimeNanoseconds
        var recent = [Double](repeating: 0, count: 100), recentCount = 0
        var throughput = Throughput(), lastTest: Evaluation?
        var divergedAt: Int?, stoppedEarly = false
        for _ in 0..<steps {
            if shouldStop() { stoppedEarly = true; break }
            let r = trainer.trainStep()
            recent[recentCount % recent.count] = r.loss
            recentCount += 1
            var test: Evaluation?
            if r.wantsEvaluation(every: evalEvery, totalSteps: steps) {
                test = trainer.evaluate(trainer.data.test)
                lastTest = test
            }
            let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            throughput.add(samples: r.samples, at: ms / 1000)
            let row = StepRecord(result: r, test: test, wallMilliseconds: ms)
            log?.write(StepCSV.line(row, name: name))
            onStep(row)
            if r.diverged { divergedAt = r.step; break }
            if log?.failure != nil { break }
        }
        log?.flush()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let kept = recent.prefix(min(recentCount, recent.count))
        return Summary(solver: name, steps: trainer.step, finalTrainLoss: kept.reduce(0, +) / Double(max(kept.count, 1)),
                       testLoss: lastTest?.loss, testAccuracy: lastTest?.accuracy,
                       samplesPerSecond: throughput.mean, wallSeconds: wall, divergedAt: divergedAt,
                       stoppedEarly: stoppedEarly, logFailure: log?.failure)
    }
}
