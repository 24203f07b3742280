/// Where a preset's data comes from.
public struct DatasetSpec: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        case synthetic(SyntheticKind)
        /// IDX files; `directory` holds train-images-idx3-ubyte(.gz) and friends unless paths are given.
        case idx(trainImages: String, trainLabels: String, testImages: String?, testLabels: String?)
        case csv(path: String, label: CSVReader.LabelColumn, header: Bool?, regression: Bool)
    }

    public var source: Source
    public var n = 1000
    public var noise = 0.1
    public var classes = 3
    public var testFraction = 0.2
    /// Keep at most this many training samples (nil: all), for quick experiments.
    public var limit: Int?

    public init(source: Source) { self.source = source }
}
