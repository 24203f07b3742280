/// One evaluation of a loss over a batch.
public struct LossResult: Sendable {
    public var loss: Double
    /// Correct predictions in the batch (classification only, else 0).
    public var correct: Int
}
