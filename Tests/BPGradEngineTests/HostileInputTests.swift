import BPGradEngine
import Foundation
import XCTest

/// The hostile-input pass of issue 12: every input here crashed, hung, or passed silently
/// wrong before. These tests use only APIs that existed then, so they can be run against the
/// old code to watch them fail (most crash the test process or hang there, which is why the
/// hanging ones wait on a background thread with a time limit).
final class HostileInputTests: XCTestCase {
    let dir = makeTemporaryFolder()

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    private func parse(_ yaml: String, overrides: [String] = []) throws -> Preset {
        try PresetLibrary.parse(yaml: yaml, file: "hostile.yaml", overrides: overrides)
    }

    private func assertThrows<T>(_ body: @autoclosure () throws -> T, contains parts: [String],
                              file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            let text = "\(error)"
            for p in parts { XCTAssertTrue(text.contains(p), "'\(text)' lacks '\(p)'", file: file, line: line) }
        }
    }


    // MARK: 1. Sizes are checked before anything is allocated

    func testHugeDenseLayerIsRefused() throws {
        for units in ["4611686018427387904", "2147483648"] {
            assertThrows(try Experiment(preset: try parse(PresetTests.minimal, overrides: ["network.0.dense=\(units)"])),
                         contains: ["layer 1 (dense(\(units)))", "more than 2147483647"])
        }
    }

    func testHugeBatchIsRefused() throws {
        for batch in ["4611686018427387904", "9223372036854775807"] {
            assertThrows(try Experiment(preset: try parse(PresetTests.minimal, overrides: ["training.batch_size=\(batch)"])),
                         contains: ["training.batch_size", "more than 2147483647"])
        }
        // Below the 32-bit limit, the memory budget says what the batch would need.
        assertThrows(try Experiment(preset: try parse(PresetTests.minimal, overrides: ["training.batch_size=1000000000"])),
                     contains: ["on batches of 1000000000 would need", "more than the memory budget of 4 GiB", "training.memory_budget_mb"])
    }

    func testHugeSyntheticDatasetIsRefused() throws {
        assertThrows(try Experiment(preset: try parse(PresetTests.minimal, overrides: ["dataset.n=100000000000"])),
                     contains: ["dataset moons: 100000000000 samples (dataset.n) would need", "memory budget of 4 GiB"])
    }

    /// conv2d sizes near 2^61: "Bad pointer dereference" or a floating-point exception before.
    func testHugeConvolutionSizesAreRefused() throws {
        writeBytes(idxBytes(dimensions: [8, 6, 6], values: [UInt8](repeating: 7, count: 288)), to: "\(dir)/img")
        writeBytes(idxBytes(dimensions: [8], values: (0..<8).map { UInt8($0 % 10) }), to: "\(dir)/lab")
        let yaml = """
        dataset: {kind: idx, train_images: \(dir)/img, train_labels: \(dir)/lab}
        network: [{conv2d: {filters: 2, kernel: 3, padding: 1}}, flatten, {dense: 10}]
        training: {batch_size: 4, steps: 2}
        """
        XCTAssertNoThrow(try Experiment(preset: try parse(yaml)))
        let huge = "2305843009213693952"  // 2^61
        for (field, part) in [("padding", "overflows a 64-bit size"), ("filters", "more than 2147483647"), ("kernel", "does not fit")] {
            let e = XCTAssertThrowsErrorText(try Experiment(preset: try parse(yaml, overrides: ["network.0.conv2d.\(field)=\(huge)"])))
            XCTAssertTrue(e.contains("layer 1 (conv2d(") && e.contains(part), "\(field): \(e)")
        }
    }

    func testEpochsThatOverflowAreRefused() throws {
        assertThrows(try parse(PresetTests.minimal, overrides: ["training.epochs=4611686018427387904", "training.steps=~"]),
                     contains: ["training.epochs", "must be at most 9007199254740992"])
        // Within 2^53 epochs, but epochs x steps per epoch is not.
        assertThrows(try Experiment(preset: try parse(PresetTests.minimal, overrides: ["training.epochs=9007199254740992", "training.steps=~"])),
                     contains: ["training.epochs", "more than 9007199254740992 (2^53) steps"])
    }

    // MARK: 2-5. IDX files

    private func idxSpec(_ images: String, _ labels: String, test: (String, String)? = nil) -> DatasetSpec {
        DatasetSpec(source: .idx(trainImages: images, trainLabels: labels, testImages: test?.0, testLabels: test?.1))
    }

    func testIDXWithNoImagesIsAnError() throws {
        writeBytes(idxBytes(dimensions: [0, 28, 28], values: []), to: "\(dir)/img0")
        writeBytes(idxBytes(dimensions: [0], values: []), to: "\(dir)/lab0")
        assertThrows(try DatasetLoader.load(idxSpec("\(dir)/img0", "\(dir)/lab0"), seed: 1), contains: ["img0", "has no images"])
        // One image leaves nothing to hold out as a test set.
        writeBytes(idxBytes(dimensions: [1, 2, 2], values: [1, 2, 3, 4]), to: "\(dir)/img1")
        writeBytes(idxBytes(dimensions: [1], values: [3]), to: "\(dir)/lab1")
        assertThrows(try DatasetLoader.load(idxSpec("\(dir)/img1", "\(dir)/lab1"), seed: 1), contains: ["has 1 sample", "at least 2"])
    }

    func testIDXWithZeroHeightOrWidthIsAnError() throws {
        writeBytes(idxBytes(dimensions: [5], values: [0, 1, 2, 3, 4]), to: "\(dir)/lab")
        for dims in [[5, 0, 28], [5, 28, 0]] {
            writeBytes(idxBytes(dimensions: dims, values: []), to: "\(dir)/img")
            assertThrows(try DatasetLoader.load(idxSpec("\(dir)/img", "\(dir)/lab"), seed: 1),
                         contains: ["has images of \(dims[1])x\(dims[2]) pixels", "at least 1"])
        }
    }

    func testIDXHeaderWhoseSizeOverflowsIsAnError() throws {
        writeBytes(idxBytes(dimensions: [4, 1 << 31, 1 << 31], values: []), to: "\(dir)/wrap")
        assertThrows(try IDXReader.read("\(dir)/wrap"), contains: ["dimensions 4x2147483648x2147483648", "more values than a 64-bit size can count"])
        writeBytes(idxBytes(dimensions: [0xFFFF_FFFF, 0xFFFF_FFFF], values: []), to: "\(dir)/ff")
        let text = XCTAssertThrowsErrorText(try IDXReader.read("\(dir)/ff"))
        XCTAssertTrue(text.contains("4294967295x4294967295"), text)
        XCTAssertFalse(text.contains("need -"), "a negative size: \(text)")
    }

    func testTestImagesOfAnotherShapeAreRefused() throws {
        writeBytes(idxBytes(dimensions: [6, 4, 4], values: [UInt8](repeating: 9, count: 96)), to: "\(dir)/img")
        writeBytes(idxBytes(dimensions: [6], values: [0, 1, 2, 3, 4, 5]), to: "\(dir)/lab")
        writeBytes(idxBytes(dimensions: [3, 5, 5], values: [UInt8](repeating: 9, count: 75)), to: "\(dir)/timg")
        writeBytes(idxBytes(dimensions: [3], values: [0, 1, 2]), to: "\(dir)/tlab")
        assertThrows(try DatasetLoader.load(idxSpec("\(dir)/img", "\(dir)/lab", test: ("\(dir)/timg", "\(dir)/tlab")), seed: 1),
                     contains: ["timg", "5x5 pixels", "training images", "are 4x4"])
    }

    func testEmptyTestSetIsAnError() throws {
        writeBytes(idxBytes(dimensions: [6, 4, 4], values: [UInt8](repeating: 9, count: 96)), to: "\(dir)/img")
        writeBytes(idxBytes(dimensions: [6], values: [0, 1, 2, 3, 4, 5]), to: "\(dir)/lab")
        writeBytes(idxBytes(dimensions: [0, 4, 4], values: []), to: "\(dir)/timg")
        writeBytes(idxBytes(dimensions: [0], values: []), to: "\(dir)/tlab")
        assertThrows(try DatasetLoader.load(idxSpec("\(dir)/img", "\(dir)/lab", test: ("\(dir)/timg", "\(dir)/tlab")), seed: 1),
                     contains: ["timg", "has no images"])
    }

    func testMissingTestImagesFileIsAnError() throws {
        writeBytes(idxBytes(dimensions: [6, 4, 4], values: [UInt8](repeating: 9, count: 96)), to: "\(dir)/img")
        writeBytes(idxBytes(dimensions: [6], values: [0, 1, 2, 3, 4, 5]), to: "\(dir)/lab")
        assertThrows(try DatasetLoader.load(idxSpec("\(dir)/img", "\(dir)/lab", test: ("\(dir)/nope", "\(dir)/lab")), seed: 1),
                     contains: ["\(dir)/nope", "file not found"])
    }

    /// A gzip file that inflates far past what its header promises is read no further: here
    /// 2,000 concatenated gzip members of 1 MiB of zeros, 2 GiB inflated from 2 MB on disk.
    func testGzipBombIsReadNoFurtherThanItsHeader() throws {
        writeBytes(idxBytes(dimensions: [10, 4, 4], values: [UInt8](repeating: 0, count: 1 << 20)), to: "\(dir)/head")
        gzip("\(dir)/head")
        writeBytes([UInt8](repeating: 0, count: 1 << 20), to: "\(dir)/zeros")
        gzip("\(dir)/zeros")
        let member = try XCTUnwrap(FileManager.default.contents(atPath: "\(dir)/zeros.gz"))
        var bomb = try XCTUnwrap(FileManager.default.contents(atPath: "\(dir)/head.gz"))
        for _ in 0..<2000 { bomb.append(member) }
        XCTAssertTrue(FileManager.default.createFile(atPath: "\(dir)/bomb.gz", contents: bomb))
        var before = rusage(), after = rusage()
        getrusage(RUSAGE_SELF.rawValue, &before)
        assertThrows(try IDXReader.read("\(dir)/bomb.gz"), contains: ["too long", "dimensions 10x4x4 need 176 bytes", "has more"])
        getrusage(RUSAGE_SELF.rawValue, &after)
        XCTAssertLessThan(after.ru_maxrss - before.ru_maxrss, 200 << 10, "the read grew the process by \(after.ru_maxrss - before.ru_maxrss) KiB")
    }

    // MARK: Hangs: FIFOs and devices are not read

    func testFIFOAsDataIsRefusedWithoutBlocking() throws {
        let fifo = "\(dir)/fifo"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let outcome = Locked<String?>(nil)
        withinTime(5, unblock: { let fd = open(fifo, O_WRONLY | O_NONBLOCK); if fd >= 0 { close(fd) } }) {
            do { _ = try IDXReader.read(fifo); outcome.withLock { $0 = "read" } } catch { outcome.withLock { $0 = "\(error)" } }
        }
        let text = outcome.withLock { $0 } ?? ""
        XCTAssertTrue(text.contains("named pipe (FIFO)"), text)
        withinTime(5, unblock: { let fd = open(fifo, O_WRONLY | O_NONBLOCK); if fd >= 0 { close(fd) } }) {
            let text = (try? CSVReader.load(path: fifo, label: .last, header: nil, regression: false)).map { "\($0.count)" }
            outcome.withLock { $0 = text }
        }
        XCTAssertNil(outcome.withLock { $0 })
    }

    func testDeviceAsDataIsRefusedWithoutReadingIt() throws {
        let outcome = Locked<String?>(nil)
        withinTime(5) {
            do { _ = try IDXReader.read("/dev/zero"); outcome.withLock { $0 = "read" } } catch { outcome.withLock { $0 = "\(error)" } }
        }
        XCTAssertEqual(outcome.withLock { $0 }, "dataset /dev/zero: is a character device, not a regular file")
    }

    func testDirectoryGzipPathIsNamedAsADirectory() throws {
        assertThrows(try IDXReader.read(dir), contains: ["is a directory, not a file"])
        let text = XCTAssertThrowsErrorText(try IDXReader.read(dir))
        XCTAssertFalse(text.contains("gzip"), text)
    }

    // MARK: 6. YAML that expands without bound

    static let billionLaughs = """
    a: &a ["x","x","x","x","x","x","x","x","x"]
    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
    h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
    i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
    """

    func testAliasBombIsRefusedQuickly() throws {
        let outcome = Locked<String?>(nil)
        // An alias as a mapping key made Yams hash the whole expansion: that one hung outright.
        for yaml in [Self.billionLaughs, Self.billionLaughs + "\nz:\n  ? *i\n  : 1\n"] {
            withinTime(10) {
                do { _ = try PresetLibrary.parse(yaml: yaml, file: "bomb.yaml", overrides: []); outcome.withLock { $0 = "parsed" } } catch {
                    outcome.withLock { $0 = "\(error)" }
                }
            }
            let text = outcome.withLock { $0 } ?? ""
            XCTAssertTrue(text.contains("bomb.yaml") && text.contains("more than 10000 values") && text.contains("aliases"), text)
        }
    }

    func testPresetListingSurvivesABomb() throws {
        write(Self.billionLaughs, to: "\(dir)/bomb.yaml")
        write(PresetTests.minimal, to: "\(dir)/tiny.yaml")
        let entries = Locked<[PresetLibrary.Entry]>([])
        let folder = dir
        withinTime(10) { entries.withLock { $0 = PresetLibrary(folders: [folder], includesBuiltIn: false).entries() } }
        let found = entries.withLock { $0 }
        XCTAssertEqual(found.map(\.name), ["bomb", "tiny"])
        XCTAssertTrue(found.first?.description.hasPrefix("(does not load") ?? false)
    }

    func testComplexKeyIsNamedNotDumped() throws {
        let text = XCTAssertThrowsErrorText(try parse(PresetTests.minimal + "\n? [a, b]\n: 1\n"))
        XCTAssertTrue(text.contains("a mapping key must be a plain value"), text)
        XCTAssertFalse(text.contains("Node") || text.contains("mapping(") || text.contains("sequence("), text)
    }

    func testDeepNestingIsRefused() throws {
        let yaml = "a: " + String(repeating: "[", count: 2000) + String(repeating: "]", count: 2000)
        let text = XCTAssertThrowsErrorText(try parse(yaml))
        XCTAssertTrue(text.contains("nests lists and mappings more than 64 deep"), text)
    }

    // MARK: 7. Classes beyond what a byte holds

    func testTooManyClassesAreRefused() throws {
        assertThrows(try parse(PresetTests.minimal, overrides: ["dataset.kind=blobs", "dataset.classes=300"]),
                     contains: ["dataset.classes", "must be at most 256"])
        write("a,b,label\n1,2,0\n3,4,300\n", to: "\(dir)/big.csv")
        assertThrows(try CSVReader.load(path: "\(dir)/big.csv", label: .last, header: nil, regression: false),
                     contains: ["row 3, column 3 ('label'): class label 300 is too large", "at most 256 classes"])
        write("a,b,label\n1,2,0\n3,4,1e19\n", to: "\(dir)/huge.csv")
        let text = XCTAssertThrowsErrorText(try CSVReader.load(path: "\(dir)/huge.csv", label: .last, header: nil, regression: false))
        XCTAssertTrue(text.contains("class label 1e19 is too large"), text)
        write("a,b,label\n1,2,0\n3,4,255\n", to: "\(dir)/ok.csv")
        XCTAssertEqual(try CSVReader.load(path: "\(dir)/ok.csv", label: .last, header: nil, regression: false).task, .classification(classes: 256))
    }

    // MARK: Messages that name the problem

    func testPresetPathsThatAreNotFilesAreNamed() throws {
        assertThrows(try PresetLibrary.load(path: dir, overrides: []), contains: ["preset \(dir): is a directory, not a file"])
        assertThrows(try PresetLibrary.load(path: "/dev/null", overrides: []), contains: ["is a character device"])
        let fifo = "\(dir)/p.yaml"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let outcome = Locked<String?>(nil)
        withinTime(5, unblock: { let fd = open(fifo, O_WRONLY | O_NONBLOCK); if fd >= 0 { close(fd) } }) {
            do { _ = try PresetLibrary.load(path: fifo, overrides: []); outcome.withLock { $0 = "loaded" } } catch { outcome.withLock { $0 = "\(error)" } }
        }
        XCTAssertTrue((outcome.withLock { $0 } ?? "").contains("named pipe (FIFO)"))
    }

    // MARK: Writes that fail are not silent

    func testLogOnAFullDeviceIsAnError() {
        assertThrows(try LineWriter(path: "/dev/full", header: StepCSV.header), contains: ["/dev/full", "No space left on device"])
    }

    // MARK: Science edge cases

    func testNesterovNeedsMomentumAndNoDampening() throws {
        let sgd = SGD()
        assertThrows(try sgd.set("nesterov", .flag(true)), contains: ["sgd.nesterov", "requires a momentum above 0"])
        try sgd.set("momentum", .number(0.9))
        try sgd.set("nesterov", .flag(true))
        // A live change that would break the rule is refused and changes nothing.
        assertThrows(try sgd.set("momentum", .number(0)), contains: ["sgd.momentum", "Nesterov momentum requires"])
        assertThrows(try sgd.set("dampening", .number(0.1)), contains: ["sgd.dampening", "zero dampening"])
        XCTAssertEqual(sgd.hyper["momentum"], .number(0.9))
        XCTAssertEqual(sgd.hyper["dampening"], .number(0))
        // A preset may list nesterov before momentum.
        let yaml = PresetTests.minimal + "\n  sgd: {nesterov: true, momentum: 0.9}"
        XCTAssertEqual(try parse(yaml).settings(for: "sgd")["nesterov"], .flag(true))
        assertThrows(try parse(PresetTests.minimal + "\n  sgd: {nesterov: true}"), contains: ["solvers.sgd.nesterov", "requires a momentum above 0"])
    }

    /// With rho = 1 the best sample's radius is 0 and the ray walk returned a zero step: the
    /// solver sampled the same point forever. Now it branches whenever a step would not move it.
    func testBranchAndPruneWithRhoOneKeepsMoving() {
        let f = TestFunction.himmelblau
        let bp = BranchAndPrune(function: f, start: SIMD2(4, 4), lipschitz: f.lipschitzEstimate, rho: 1, gridSize: 41)
        var branches = 0
        for n in 1...300 { if bp.step(number: n)?.branched == true { branches += 1 } }
        XCTAssertEqual(bp.samples.count, 300)
        for (a, b) in zip(bp.samples, bp.samples.dropFirst()) { XCTAssertNotEqual(a.p, b.p, "the same point sampled twice in a row") }
        // f* = min f leaves the walk nothing to push it below the best value, so it crawls
        // towards that level set until a step no longer moves it, and branches: several times.
        XCTAssertGreaterThanOrEqual(branches, 3)
    }
}

/// The text of the error `body` throws ("" and a failure when it does not throw).
func XCTAssertThrowsErrorText(_ body: @autoclosure () throws -> Any, file: StaticString = #filePath, line: UInt = #line) -> String {
    do {
        _ = try body()
        XCTFail("no error thrown", file: file, line: line)
        return ""
    } catch {
        return "\(error)"
    }
}
