/// A fork's trainer on its way from the parent's queue to its own worker, with the parent's
/// clocks and controls, so the twin continues exactly where the parent was.
struct ForkedTrainer: @unchecked Sendable {
    // @unchecked: the trainer was made on the parent's queue for this hand-over and is not
    // touched there again; the new worker is its only owner from then on.
    var trainer: Trainer
    var trainingSeconds: Double
    var paused: Bool
    var speed: Double?
    var stopAtLength: Bool
    var pauseOnEvaluation: Bool
}
