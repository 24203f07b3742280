import BPGradEngine
import XCTest

final class DataReaderTests: XCTestCase {
    let dir = makeTemporaryFolder()

    private func writeIDXPair(images: String, labels: String, count: Int, gz: Bool) {
        let pixels = (0..<(count * 4)).map { UInt8($0 * 17 % 256) }
        writeBytes(idxBytes(dimensions: [count, 2, 2], values: pixels), to: images)
        writeBytes(idxBytes(dimensions: [count], values: (0..<count).map { UInt8($0 % 10) }), to: labels)
        if gz { gzip(images); gzip(labels) }
    }

    func testReadsRawAndGzippedIDX() throws {
        for gz in [false, true] {
            writeIDXPair(images: "\(dir)/img", labels: "\(dir)/lab", count: 5, gz: gz)
            let ext = gz ? ".gz" : ""
            let d = try IDXReader.loadImages(images: "\(dir)/img\(ext)", labels: "\(dir)/lab\(ext)")
            XCTAssertEqual(d.count, 5)
            XCTAssertEqual(d.sampleShape, Shape([1, 2, 2]))
            XCTAssertEqual(d.features[1], 17 / 255, accuracy: 1e-7)
            XCTAssertEqual(d.targets, [0, 1, 2, 3, 4])
        }
    }

    func testTruncatedIDXNamesExpectedAndActualLength() {
        var bytes = idxBytes(dimensions: [3, 2, 2], values: [UInt8](repeating: 1, count: 12))
        bytes.removeLast(5)
        writeBytes(bytes, to: "\(dir)/short")
        XCTAssertThrowsError(try IDXReader.read("\(dir)/short")) { error in
            XCTAssertEqual("\(error)", "dataset \(dir)/short: truncated: dimensions 3x2x2 need 28 bytes, the file has 23")
        }
    }

    func testWrongMagic() {
        writeBytes([0x50, 0x4B, 3, 4, 0, 0, 0, 0], to: "\(dir)/zip")
        XCTAssertThrowsError(try IDXReader.read("\(dir)/zip")) { error in
            XCTAssertTrue("\(error)".contains("not an IDX file"), "\(error)")
        }
    }

    func testCorruptGzip() {
        writeIDXPair(images: "\(dir)/img", labels: "\(dir)/lab", count: 50, gz: true)
        var data = [UInt8](FileManager.default.contents(atPath: "\(dir)/img.gz")!)
        data.removeLast(data.count / 2)
        writeBytes(data, to: "\(dir)/cut.gz")
        XCTAssertThrowsError(try IDXReader.read("\(dir)/cut.gz")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("corrupt") || text.contains("truncated"), text)
        }
    }

    func testMissingFashionMNISTNamesTheDebianPackage() {
        var spec = DatasetSpec(source: .idx(trainImages: DatasetLoader.fashionMNISTDirectory + "/nope-images.gz",
                                            trainLabels: DatasetLoader.fashionMNISTDirectory + "/nope-labels.gz",
                                            testImages: nil, testLabels: nil))
        spec.limit = 10
        XCTAssertThrowsError(try DatasetLoader.load(spec, seed: 1)) { error in
            XCTAssertTrue("\(error)".contains("apt-get install -y dataset-fashion-mnist"), "\(error)")
        }
    }

    func testCSVWithHeaderAndNamedLabel() throws {
        write("a,label,b\n1,0,2\n3,1,4\n5,2,6\n", to: "\(dir)/d.csv")
        let d = try CSVReader.load(path: "\(dir)/d.csv", label: .name("label"), header: nil, regression: false)
        XCTAssertEqual(d.features.values, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(d.targets, [0, 1, 2])
        XCTAssertEqual(d.task, .classification(classes: 3))
    }

    func testCSVWithoutHeaderLabelByIndex() throws {
        write("0,1.5,2\n1,2.5,3\n", to: "\(dir)/d.csv")
        let d = try CSVReader.load(path: "\(dir)/d.csv", label: .index(0), header: false, regression: false)
        XCTAssertEqual(d.features.values, [1.5, 2, 2.5, 3])
        XCTAssertEqual(d.targets, [0, 1])
    }

    func testCSVNonNumericCellNamesRowAndColumn() {
        write("x,y,label\n1,2,0\n3,oops,1\n", to: "\(dir)/bad.csv")
        XCTAssertThrowsError(try CSVReader.load(path: "\(dir)/bad.csv", label: .last, header: nil, regression: false)) { error in
            XCTAssertEqual("\(error)", "dataset \(dir)/bad.csv: row 3, column 2 ('y'): 'oops' is not a finite number")
        }
    }

    func testCSVRaggedRow() {
        write("1,2,0\n3,1\n", to: "\(dir)/rag.csv")
        XCTAssertThrowsError(try CSVReader.load(path: "\(dir)/rag.csv", label: .last, header: nil, regression: false)) { error in
            XCTAssertTrue("\(error)".contains("row 2 has 2 cells, expected 3"), "\(error)")
        }
    }

    func testSyntheticDataIsSeededAndShaped() {
        for kind in SyntheticKind.allCases {
            let a = SyntheticData.make(kind, n: 200, noise: 0.1, classes: 3, seed: 9)
            let b = SyntheticData.make(kind, n: 200, noise: 0.1, classes: 3, seed: 9)
            let c = SyntheticData.make(kind, n: 200, noise: 0.1, classes: 3, seed: 10)
            XCTAssertEqual(a.count, 200, kind.rawValue)
            XCTAssertEqual(a.features.values, b.features.values, kind.rawValue)
            XCTAssertNotEqual(a.features.values, c.features.values, kind.rawValue)
            XCTAssertTrue(a.features.values.allSatisfy(\.isFinite))
        }
        let spirals = SyntheticData.make(.spirals, n: 300, noise: 0, classes: 3, seed: 1)
        XCTAssertEqual(Set(spirals.targets), [0, 1, 2])
    }

    func testSplitIsDisjointAndComplete() {
        let d = SyntheticData.make(.blobs, n: 100, noise: 1, classes: 4, seed: 2)
        let (train, test) = d.split(testFraction: 0.25, seed: 3)
        XCTAssertEqual(train.count, 75)
        XCTAssertEqual(test.count, 25)
        XCTAssertEqual((train.features.values + test.features.values).sorted(), d.features.values.sorted())
    }
}
