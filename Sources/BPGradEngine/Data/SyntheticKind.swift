/// The synthetic datasets a preset may name (`dataset: {kind: spirals}`); `SyntheticData`
/// generates them.
public enum SyntheticKind: String, Sendable, CaseIterable {
    case spirals, moons, circles, xor, blobs, sine

    /// Floats per generated sample: two features and a label, or for `sine` one input and its
    /// target (what the memory budget counts before generating).
    public var valuesPerSample: Int { self == .sine ? 2 : 3 }
}
