/// The synthetic datasets a preset may name (`dataset: {kind: spirals}`); `SyntheticData`
/// generates them.
public enum SyntheticKind: String, Sendable, CaseIterable {
    case spirals, moons, circles, xor, blobs, sine
}
