/// A hyperparameter change as it took effect, for the list of recent changes.
public struct HyperChange: Sendable, Equatable {
    public var key: HyperKey
    public var old: HyperValue
    public var new: HyperValue

    public init(key: HyperKey, old: HyperValue, new: HyperValue) {
        self.key = key; self.old = old; self.new = new
    }
}
