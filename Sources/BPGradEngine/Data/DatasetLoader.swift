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

    /// Loads and splits the data; refuses data that would not fit `budget`, and any split that
    /// leaves the training or the test set empty.
    public static func load(_ spec: DatasetSpec, seed: UInt64, budget: MemoryBudget = .standard) throws(EngineError) -> DataSplit {
        var split: DataSplit
        switch spec.source {
        case .synthetic(let kind):
            // As Floats, twice over while the split copies them.
            try budget.require(CheckedSize.product(spec.n, kind.valuesPerSample, 4, 2), for: "dataset \(kind.rawValue): \(spec.n) samples (dataset.n)")
            let all = SyntheticData.make(kind, n: spec.n, noise: spec.noise, classes: spec.classes, seed: seed)
            split = try holdOut(all, name: kind.rawValue, source: kind.rawValue, spec: spec, seed: seed, note: false)
        case let .idx(trainImages, trainLabels, testImages, testLabels):
            let train = try withPackageHint(trainImages, trainLabels) { () throws(EngineError) in try IDXReader.loadImages(images: trainImages, labels: trainLabels, budget: budget) }
            let name = name(of: trainImages)
            switch (testImages, testLabels) {
            case let (images?, labels?):
                let test = try withPackageHint(images, labels) { () throws(EngineError) in try IDXReader.loadImages(images: images, labels: labels, budget: budget) }
                guard test.sampleShape == train.sampleShape else {
                    throw .dataset(path: images, message: "has images of \(test.sampleShape.dims.dropFirst().map(String.init).joined(separator: "x")) pixels but the training images \(trainImages) are \(train.sampleShape.dims.dropFirst().map(String.init).joined(separator: "x")); both sets must have the same image size")
                }
                guard test.task == train.task else {
                    throw .dataset(path: labels, message: "has the task \(test.task) but the training labels \(trainLabels) have \(train.task)")
                }
                split = DataSplit(name: name, train: train, test: test)
            case (nil, nil):
                split = try holdOut(train, name: name, source: trainImages, spec: spec, seed: seed, note: true)
            case let (images?, nil):
                throw .dataset(path: images, message: "test images are given but no test labels: set dataset.test_labels too (or neither, to hold out part of the training data)")
            case let (nil, labels?):
                throw .dataset(path: labels, message: "test labels are given but no test images: set dataset.test_images too (or neither, to hold out part of the training data)")
            }
        case let .csv(path, label, header, regression):
            let all = try CSVReader.load(path: path, label: label, header: header, regression: regression, budget: budget)
            split = try holdOut(all, name: (path as NSString).lastPathComponent, source: path, spec: spec, seed: seed, note: false)
        }
        if let limit = spec.limit, limit < split.train.count {
            split.train = split.train.subset(Array(0..<limit))
        }
        return split
    }

    /// Splits off `spec.testFraction` as the test set; both parts must keep a sample.
    /// `source` (a path or a synthetic kind) names the data in errors.
    private static func holdOut(_ all: Dataset, name: String, source: String, spec: DatasetSpec, seed: UInt64, note: Bool) throws(EngineError) -> DataSplit {
        guard all.count >= 2 else {
            throw .dataset(path: source, message: "has \(all.count) sample\(all.count == 1 ? "" : "s"); at least 2 are needed to hold out a test set")
        }
        let (train, test) = all.split(testFraction: spec.testFraction, seed: seed)
        let text = note ? "no test files given (dataset.test_images and test_labels, or t10k files in the directory): holding out \(test.count) of \(all.count) training samples (test_fraction \(NumberText.short(spec.testFraction))) as the test set" : nil
        return DataSplit(name: name, train: train, test: test, note: text)
    }

    /// The data's folder ("fashion-mnist" for Debian's), or the file's name when it has none.
    private static func name(of path: String) -> String {
        if path.hasPrefix(fashionMNISTDirectory) { return "fashion-mnist" }
        let folder = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
        return folder.isEmpty || folder == "." || folder == "/" ? (path as NSString).lastPathComponent : folder
    }

    /// Names the Debian package to install when a Fashion-MNIST file is missing, then reads.
    private static func withPackageHint<T>(_ paths: String..., read: () throws(EngineError) -> T) throws(EngineError) -> T {
        for path in paths where path.hasPrefix(fashionMNISTDirectory) && FileCheck.inspect(path) == .unusable(.notFound) {
            throw .dataset(path: path, message: "file not found. Fashion-MNIST is installed by Debian's package dataset-fashion-mnist: run 'apt-get install -y dataset-fashion-mnist'.")
        }
        return try read()
    }
}
