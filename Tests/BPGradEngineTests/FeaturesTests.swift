import BPGradEngine
import XCTest

/// Image sets keep their bytes and convert as they are read: every path must give exactly the
/// Float the division byte / 255 gives (what the engine computed before, and PyTorch's ToTensor).
final class FeaturesTests: XCTestCase {
    private let everyByte = (0...255).map(UInt8.init)

    func testEveryByteReadsAsItsFloatQuotient() {
        let f = Features(unitBytes: everyByte)
        XCTAssertEqual(f.count, 256)
        XCTAssertEqual(f.byteCount, 256)
        let expected = everyByte.map { Float($0) / 255 }
        XCTAssertEqual(f.values.map(\.bitPattern), expected.map(\.bitPattern))
        XCTAssertEqual((0..<256).map { f[$0].bitPattern }, expected.map(\.bitPattern))

        // As 16 rows of 16 and as 8 rows of 32, gathered in reverse and copied in a range.
        for width in [16, 32] {
            let rows = 256 / width
            let order = Array((0..<rows).reversed())
            let reordered = order.flatMap { expected[($0 * width)..<(($0 + 1) * width)] }
            var out = [Float](repeating: .nan, count: 256)
            out.withUnsafeMutableBufferPointer { o in
                order.withUnsafeBufferPointer { f.gather(rows: $0, width: width, into: o.baseAddress!) }
            }
            XCTAssertEqual(out.map(\.bitPattern), reordered.map(\.bitPattern), "gather, width \(width)")
            out = [Float](repeating: .nan, count: 256)
            out.withUnsafeMutableBufferPointer { f.copy(rows: 1..<rows, width: width, into: $0.baseAddress!) }
            XCTAssertEqual(out.prefix(256 - width).map(\.bitPattern), expected[width...].map(\.bitPattern), "copy, width \(width)")
            XCTAssertTrue(out[(256 - width)...].allSatisfy(\.isNaN), "copy wrote past its rows")
        }
    }

    /// A minibatch of byte rows, gathered in a shuffled order and copied in a range, matches
    /// the same rows of Floats bit for bit (rows of 16 bytes: whole vectors and a remainder).
    func testByteRowsTrainLikeTheirFloats() throws {
        var rng = SeededGenerator(seed: 5, stream: 1)
        let n = 300, side = 5
        let pixels = (0..<(n * side * side)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let labels = (0..<n).map { Float($0 % 10) }
        let shape = Shape([1, side, side])
        let bytes = Dataset(sampleShape: shape, task: .classification(classes: 10), features: Features(unitBytes: pixels), targets: labels)
        let floats = Dataset(sampleShape: shape, task: .classification(classes: 10), features: bytes.features.values, targets: labels)
        XCTAssertEqual(bytes.features.byteCount * 4, floats.features.byteCount)

        let yaml = """
        dataset: {kind: spirals}
        network: [flatten, {dense: 12}, relu, {dense: 10}]
        training: {batch_size: 32, steps: 40, seed: 2}
        """
        let p = try PresetLibrary.parse(yaml: yaml, file: "bytes.yaml", overrides: [])
        func run(_ d: Dataset) throws -> (losses: [Double], test: Double, parameters: [Float]) {
            let (train, test) = d.split(testFraction: 0.2, seed: 9)
            let trainer = try Trainer(preset: p, data: DataSplit(name: "bytes", train: train.subset(Array(0..<200)), test: test),
                                      solver: try p.configuration("adam").makeSolver())
            let losses = (0..<40).map { _ in trainer.trainStep().loss }
            return (losses, trainer.evaluate(test).loss, trainer.network.parameters.array)
        }
        let a = try run(bytes), b = try run(floats)
        XCTAssertEqual(a.losses, b.losses)
        XCTAssertEqual(a.test, b.test)
        XCTAssertEqual(a.parameters.map(\.bitPattern), b.parameters.map(\.bitPattern))
        XCTAssertLessThan(a.losses.suffix(5).reduce(0, +), a.losses.prefix(5).reduce(0, +), "training made no progress")
    }

    func testIDXImagesAreStoredAsBytes() throws {
        let dir = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        writeBytes(idxBytes(dimensions: [4, 2, 2], values: (0..<16).map { UInt8($0 * 16) }), to: "\(dir)/img")
        writeBytes(idxBytes(dimensions: [4], values: [0, 1, 2, 3]), to: "\(dir)/lab")
        let d = try IDXReader.loadImages(images: "\(dir)/img", labels: "\(dir)/lab")
        XCTAssertEqual(d.features.byteCount, 16)
        XCTAssertEqual(d.subset([3, 1]).features.values, [192, 208, 224, 240, 64, 80, 96, 112].map { Float($0) / 255 })
    }
}
