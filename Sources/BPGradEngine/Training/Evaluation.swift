/// Loss and accuracy (nil for regression) over a whole held-out set.
public struct Evaluation: Sendable, Equatable {
    public var loss: Double
    public var accuracy: Double?

    public init(loss: Double, accuracy: Double?) {
        self.loss = loss
        self.accuracy = accuracy
    }
}
