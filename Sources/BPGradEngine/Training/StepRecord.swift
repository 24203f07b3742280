/// What one training step of one configuration produced: the typed record the metrics store
/// keeps and views read. CSV rows are written from it (`StepCSV`), never the other way round.
public struct StepRecord: Sendable, Equatable {
    public var step: Int
    public var epoch: Int
    /// f_t as the solver used it: the minibatch loss, or BPGrad's epoch running mean.
    public var loss: Double
    /// Set at evaluation steps.
    public var test: Evaluation?
    public var telemetry: SolverTelemetry
    /// Training time since the run started, at the end of this step; pauses left out.
    public var wallMilliseconds: Double
    /// Samples in this step's minibatch.
    public var samples: Int

    public init(step: Int, epoch: Int, loss: Double, test: Evaluation? = nil, telemetry: SolverTelemetry,
                wallMilliseconds: Double, samples: Int) {
        self.step = step; self.epoch = epoch; self.loss = loss; self.test = test; self.telemetry = telemetry
        self.wallMilliseconds = wallMilliseconds; self.samples = samples
    }

    public init(result: Trainer.StepResult, test: Evaluation?, wallMilliseconds: Double) {
        self.init(step: result.step, epoch: result.epoch, loss: result.telemetry.lossUsed ?? result.loss, test: test,
                  telemetry: result.telemetry, wallMilliseconds: wallMilliseconds, samples: result.samples)
    }
}
