import Foundation

/// Loads the data a preset names and splits it into training and test sets.
public enum DatasetLoader {
    /// Where Debian's `dataset-fashion-mnist` package installs the files.
    public static let fashionMNISTDirectory = "/usr/share/datasets/fashion-mnist"

    /// `directory/base.gz` when it exists, else `directory/base` when that exists, else the `.gz` name.
    public static func idxPath(directory: String, base: String) -> String {
        let gz = (directory as NSString).appendingPathComponent(base + ".gz")
        let raw = (directory as NSString).appendingPathComponent(base)
        if FileManager.default.fileExists(atPath: gz) { return gz }
        return FileManager.default.fileExists(atPath: raw) ? raw : gz
    }

    public static func load(_ spec: DatasetSpec, seed: UInt64) throws(EngineError) -> DataSplit {
        var split: DataSplit
        switch spec.source {
        case .synthetic(let kind):
            let all = SyntheticData.make(kind, n: spec.n, noise: spec.noise, classes: spec.classes, seed: seed)
            let (train, test) = all.split(testFraction: spec.testFraction, seed: seed)
            split = DataSplit(name: kind.rawValue, train: train, test: test)
        case let .idx(trainImages, trainLabels, testImages, testLabels):
            let train = try withPackageHint { () throws(EngineError) in try IDXReader.loadImages(images: trainImages, labels: trainLabels) }
            if let testImages, let testLabels,
               FileManager.default.fileExists(atPath: testImages), FileManager.default.fileExists(atPath: testLabels) {
                let test = try withPackageHint { () throws(EngineError) in try IDXReader.loadImages(images: testImages, labels: testLabels) }
                split = DataSplit(name: name(of: trainImages), train: train, test: test)
            } else {
                let (tr, te) = train.split(testFraction: spec.testFraction, seed: seed)
                split = DataSplit(name: name(of: trainImages), train: tr, test: te)
            }
        case let .csv(path, label, header, regression):
            let all = try CSVReader.load(path: path, label: label, header: header, regression: regression)
            guard all.count >= 2 else { throw .dataset(path: path, message: "needs at least two rows to split into training and test data") }
            let (train, test) = all.split(testFraction: spec.testFraction, seed: seed)
            split = DataSplit(name: (path as NSString).lastPathComponent, train: train, test: test)
        }
        if let limit = spec.limit, limit < split.train.count {
            split.train = split.train.subset(Array(0..<limit))
        }
        return split
    }

    private static func name(of path: String) -> String {
        path.hasPrefix(fashionMNISTDirectory) ? "fashion-mnist" : ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
    }

    /// Adds the Debian package to install when a Fashion-MNIST file is missing.
    private static func withPackageHint<T>(_ body: () throws(EngineError) -> T) throws(EngineError) -> T {
        do { return try body() } catch {
            if case let .dataset(path, message) = error, message == "file not found", path.hasPrefix(fashionMNISTDirectory) {
                throw .dataset(path: path, message: "file not found. Fashion-MNIST is installed by Debian's package dataset-fashion-mnist: run 'apt-get install -y dataset-fashion-mnist'.")
            }
            throw error
        }
    }
}
