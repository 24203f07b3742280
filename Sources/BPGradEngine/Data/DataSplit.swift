/// The training and held-out data of a preset.
public struct DataSplit: Sendable {
    public var name: String
    public var train: Dataset
    public var test: Dataset
    /// A sentence about how the split was made when it is not what the preset names, such as
    /// a held-out share because there are no test files; commands print it.
    public var note: String?

    public init(name: String, train: Dataset, test: Dataset, note: String? = nil) {
        self.name = name
        self.train = train
        self.test = test
        self.note = note
    }
}
