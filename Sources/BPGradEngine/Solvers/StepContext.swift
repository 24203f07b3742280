/// What the trainer tells the solver about the step it is about to take.
public struct StepContext: Sendable {
    public var loss: Double
    public var epoch: Int
    /// True on the first step of an epoch (BPGrad's `epoch_mean` restarts its average).
    public var epochStart: Bool

    public init(loss: Double, epoch: Int, epochStart: Bool) {
        self.loss = loss
        self.epoch = epoch
        self.epochStart = epochStart
    }
}
