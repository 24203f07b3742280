@testable import BPGradEngine
import Foundation
import XCTest

/// The safeguards behind the hostile-input fixes, through the APIs they added: the memory
/// budget and network plan, the log's failure reporting, stopping a run, the split note,
/// file checks, and rules between hyperparameters.
final class SafeguardTests: XCTestCase {
    let dir = makeTemporaryFolder()

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    private func parse(_ yaml: String = PresetTests.minimal, overrides: [String] = []) throws -> Preset {
        try PresetLibrary.parse(yaml: yaml, file: "safe.yaml", overrides: overrides)
    }

    // MARK: Memory budget

    func testBudgetIsAFieldThatCanBeRaised() throws {
        // The program's 64 MiB and about 6 MiB of layer buffers: over a 65 MiB budget, within 80 MiB.
        let big = ["training.batch_size=20000", "training.memory_budget_mb=65"]
        XCTAssertThrowsError(try Experiment(preset: try parse(overrides: big))) { error in
            guard case let .memoryBudget(_, needed?, budget, breakdown) = error as? EngineError else { return XCTFail("\(error)") }
            XCTAssertEqual(budget, 65 << 20)
            XCTAssertGreaterThan(needed, 65 << 20)
            XCTAssertTrue(breakdown.contains("layer buffers for batches of 20000 samples"), breakdown)
        }
        XCTAssertNoThrow(try Experiment(preset: try parse(overrides: ["training.batch_size=20000", "training.memory_budget_mb=80"])))
        XCTAssertThrowsError(try parse(overrides: ["training.memory_budget_mb=\(MemoryBudget.physicalMegabytes + 1)"])) { error in
            XCTAssertTrue("\(error)".contains("this machine's memory in MiB"), "\(error)")
        }
    }

    /// oneDNN's copies of a convolution's tensors in its preferred layouts, and its
    /// primitives' own memory, are counted for every batch size a run passes through (they
    /// were left out, and a convolutional preset peaked 43% above its estimate).
    func testConvolutionBackendMemoryIsCounted() throws {
        let specs: [LayerSpec] = [.conv2d(filters: 64, kernel: 5, stride: 1, padding: 2), .relu, .flatten, .dense(units: 10)]
        let plan = try NetworkPlan(specs: specs, inputShape: Shape([8, 28, 28]))
        let one = try XCTUnwrap(plan.backendBytes(batchSizes: [512]))
        // At least the nhwc copies of the input and the output for the forward pass.
        XCTAssertGreaterThanOrEqual(one, 4 * 512 * 28 * 28 * (8 + 64))
        let two = try XCTUnwrap(plan.backendBytes(batchSizes: [512, 272]))
        XCTAssertGreaterThan(two, one)
        XCTAssertGreaterThan(try XCTUnwrap(plan.backendBytes(batchSizes: [512, 272, 96])), two, "every size counts")
        XCTAssertEqual(try NetworkPlan(specs: [.dense(units: 10)], inputShape: Shape([4])).backendBytes(batchSizes: [512]), 0)
    }

    func testSessionsCanCheckSeveralTrainers() throws {
        // The program's 64 MiB and about 0.5 MiB per trainer: one fits 65 MiB, six do not.
        let setup = try Experiment(preset: try parse(overrides: ["training.batch_size=3000", "training.memory_budget_mb=65"]))
        XCTAssertNoThrow(try setup.checkMemory(trainers: 1))
        XCTAssertThrowsError(try setup.checkMemory(trainers: 6)) { error in
            XCTAssertTrue("\(error)".contains("each, for 6 solvers"), "\(error)")
        }
    }

    func testNetworkPlanChecksEverySizeWithoutBuildingLayers() throws {
        XCTAssertThrowsError(try Network(specs: [.dense(units: 1 << 62)], inputShape: Shape([4]), seed: 0))
        XCTAssertThrowsError(try NetworkPlan(specs: [.conv2d(filters: 1, kernel: 3, stride: 1, padding: 1 << 62)], inputShape: Shape([1, 8, 8]))) { error in
            XCTAssertTrue("\(error)".contains("overflows a 64-bit size"), "\(error)")
        }
        XCTAssertThrowsError(try NetworkPlan(specs: [.dense(units: 2)], inputShape: Shape([0]))) { error in
            XCTAssertTrue("\(error)".contains("every dimension must be at least 1"), "\(error)")
        }
        let plan = try NetworkPlan(specs: [.conv2d(filters: 6, kernel: 5, stride: 1, padding: 2), .relu, .maxpool2d(size: 2, stride: 2), .flatten, .dense(units: 10)],
                                   inputShape: Shape([1, 28, 28]))
        let net = try Network(specs: [.conv2d(filters: 6, kernel: 5, stride: 1, padding: 2), .relu, .maxpool2d(size: 2, stride: 2), .flatten, .dense(units: 10)],
                              inputShape: Shape([1, 28, 28]), seed: 0)
        XCTAssertEqual(plan.parameterCount, net.parameterCount)
        XCTAssertEqual(plan.outputShape, net.outputShape)
        // Max pooling indexes its batch with Int32: a batch that would wrap is refused.
        XCTAssertThrowsError(try plan.checkBatch(2_000_000, requested: 2_000_000)) { error in
            XCTAssertTrue("\(error)".contains("layer 3 (maxpool2d(2))"), "\(error)")
        }
    }

    func testStepsAreCheckedAndSaturate() {
        let t = TrainingSpec(batchSize: 1, steps: nil, epochs: Int.max / 2)
        XCTAssertThrowsError(try t.checkedTotalSteps(trainCount: 10))
        XCTAssertEqual(t.totalSteps(trainCount: 10), TrainingSpec.maxSteps)
        XCTAssertEqual(try TrainingSpec(batchSize: 4, steps: nil, epochs: 3).checkedTotalSteps(trainCount: 10), 9)
        // A batch near Int.max no longer overflows the steps-per-epoch arithmetic.
        XCTAssertEqual(try TrainingSpec(batchSize: Int.max, steps: nil, epochs: 1).checkedTotalSteps(trainCount: 10), 1)
    }

    // MARK: The log


    func testLogWriteFailureIsKeptAndTheFileEndsWithAWholeLine() throws {
        let path = "\(dir)/log.csv"
        let writer = try LineWriter(path: path, header: "a,b,c")
        let line = String(repeating: "1234567,", count: 12) + "x"
        withFileSizeLimit(10_000) {
            for _ in 0..<1000 { writer.write(line) }
            writer.flush()
        }
        let failure = try XCTUnwrap(writer.failure)
        XCTAssertTrue("\(failure)".hasPrefix("\(path): writing failed after"), "\(failure)")
        XCTAssertThrowsError(try writer.close()) { XCTAssertEqual($0 as? EngineError, failure) }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.hasSuffix("\n"), "the file ends in a torn line")
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.count, writer.linesWritten)
        XCTAssertTrue(lines.dropFirst().allSatisfy { $0 == line[...] })
        XCTAssertLessThanOrEqual(text.utf8.count, 10_000)
    }

    func testEveryFlushWritesWholeLines() throws {
        let path = "\(dir)/whole.csv"
        let writer = try LineWriter(path: path, header: nil)
        for i in 0..<20_000 {
            writer.write("row \(i)," + String(repeating: "z", count: i % 97))
            // Whatever has reached the file so far ends with a newline.
            if i % 1000 == 999 {
                let data = try XCTUnwrap(FileManager.default.contents(atPath: path))
                XCTAssertTrue(data.isEmpty || data.last == 10, "torn row on disk after \(i) lines")
            }
        }
        try writer.close()
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count, 20_000)
    }

    func testTrainingStopsWhenTheLogFails() throws {
        let p = try parse(overrides: ["training.steps=5000"])
        let trainer = try Experiment(preset: p).makeTrainer(try p.configuration("adam"))
        let writer = try LineWriter(path: "\(dir)/run.csv", header: StepCSV.header)
        let summary = withFileSizeLimit(20_000) { TrainingRun(trainer: trainer, steps: 5000, evalEvery: 100).run(log: writer) }
        XCTAssertNotNil(summary.logFailure)
        XCTAssertLessThan(summary.steps, 5000)
    }

    func testTrainingStopsWhenAsked() throws {
        let p = try parse()
        let trainer = try Experiment(preset: p).makeTrainer(try p.configuration("adam"))
        var asked = 0
        let summary = TrainingRun(trainer: trainer, steps: 50, evalEvery: 10, shouldStop: { asked += 1; return asked > 7 }).run()
        XCTAssertTrue(summary.stoppedEarly)
        XCTAssertEqual(summary.steps, 7)
    }

    /// Adam for `steps` steps, logging into \(dir)/run.
    private func loggedSession(steps: Int, options: Session.Options) throws -> Session {
        let e = try Experiment(preset: try parse(overrides: ["training.steps=\(steps)"]))
        let configurations = try e.preset.configurations("adam")
        let run = try RunDirectory(experiment: e, configurations: configurations, totalSteps: e.totalSteps, explicitPath: "\(dir)/run")
        return try Session(experiment: e, configurations: configurations, runDirectory: run, options: options)
    }

    func testAHeadlessSessionStopsAConfigurationWhoseLogFails() throws {
        let s = try loggedSession(steps: 3000, options: .headless)
        withFileSizeLimit(20_000) {
            s.start()
            _ = s.wait()
        }
        s.finish()
        let c = s.store.snapshot().configurations[0]
        guard case .error(let why) = c.status else { return XCTFail("\(c.status)") }
        XCTAssertTrue(why.contains("adam.csv"), why)
        XCTAssertLessThan(c.step, 3000)
        XCTAssertFalse(s.store.snapshot().alerts.isEmpty)
    }

    func testALiveSessionTrainsOnWhenItsLogFails() throws {
        let s = try loggedSession(steps: 100000, options: .live)
        withFileSizeLimit(20_000) {
            s.start()
            let deadline = Date().addingTimeInterval(60)
            while s.store.snapshot().alerts.isEmpty, Date() < deadline { usleep(20_000) }
        }
        let alerted = s.store.snapshot()
        XCTAssertTrue(alerted.alerts.contains { $0.contains("training goes on without a step log") }, "\(alerted.alerts)")
        let stepAtFailure = alerted.configurations[0].step
        let deadline = Date().addingTimeInterval(30)
        while s.store.snapshot().configurations[0].step < stepAtFailure + 100, Date() < deadline { usleep(20_000) }
        s.stop()
        s.finish()
        XCTAssertGreaterThanOrEqual(s.store.snapshot().configurations[0].step, stepAtFailure + 100, "training went on")
        XCTAssertEqual(s.store.snapshot().configurations[0].status, .stopped)
    }

    func testSessionsAndForksAreCheckedAgainstTheBudget() throws {
        // One trainer fits 65 MiB, six do not (see testSessionsCanCheckSeveralTrainers).
        let e = try Experiment(preset: try parse(overrides: ["training.batch_size=3000", "training.memory_budget_mb=65"]))
        XCTAssertThrowsError(try Session(experiment: e, configurations: try e.preset.configurations("adam,sgd,bpgrad,adagrad,rmsprop,adadelta"),
                                         runDirectory: nil, options: .headless)) { error in
            XCTAssertTrue("\(error)".contains("each, for 6 solvers"), "\(error)")
        }
        // A fork is one more trainer: refused with the budget's own message, as the dashboard shows it.
        let one = try Session(experiment: e, configurations: try e.preset.configurations("adam"), runDirectory: nil, options: .live)
        XCTAssertNoThrow(try one.requestFork(0))
        var refusal: ForkRefusal?
        for _ in 0..<6 { do { try one.requestFork(0) } catch { refusal = error; break } }
        guard case .memory(let budget)? = refusal else { return XCTFail("\(String(describing: refusal))") }
        XCTAssertTrue(budget.description.contains("memory budget of 65 MiB"), budget.description)
        one.stop()
        var sweep = Session.Options.headless
        sweep.parallel = 1
        XCTAssertNoThrow(try Session(experiment: e, configurations: try e.preset.configurations("adam,sgd,bpgrad,adagrad,rmsprop,adadelta"),
                                     runDirectory: nil, options: sweep), "one at a time fits")
    }

    // MARK: Data

    func testHeldOutSplitIsSaid() throws {
        writeBytes(idxBytes(dimensions: [10, 2, 2], values: [UInt8](repeating: 3, count: 40)), to: "\(dir)/img")
        writeBytes(idxBytes(dimensions: [10], values: (0..<10).map { UInt8($0) }), to: "\(dir)/lab")
        let split = try DatasetLoader.load(DatasetSpec(source: .idx(trainImages: "\(dir)/img", trainLabels: "\(dir)/lab", testImages: nil, testLabels: nil)), seed: 1)
        XCTAssertEqual(split.test.count, 2)
        XCTAssertTrue(split.note?.contains("holding out 2 of 10 training samples") ?? false, "\(split.note ?? "nil")")
        // A directory without test files is split, and says so; test_images alone is an error.
        let yaml = "dataset: {kind: idx, directory: \(dir), train_images: \(dir)/img, train_labels: \(dir)/lab}\nnetwork: [flatten, {dense: 10}]"
        XCTAssertNotNil(try Experiment(preset: try parse(yaml)).data.note)
        XCTAssertThrowsError(try DatasetLoader.load(DatasetSpec(source: .idx(trainImages: "\(dir)/img", trainLabels: "\(dir)/lab", testImages: "\(dir)/img", testLabels: nil)), seed: 1)) { error in
            XCTAssertTrue("\(error)".contains("no test labels"), "\(error)")
        }
    }

    func testIDXReadRespectsTheBudget() throws {
        writeBytes(idxBytes(dimensions: [100, 100, 100], values: [UInt8](repeating: 1, count: 1_000_000)), to: "\(dir)/m")
        XCTAssertThrowsError(try IDXReader.read("\(dir)/m", budget: MemoryBudget(megabytes: 1), memoryPerByte: 9)) { error in
            XCTAssertTrue("\(error)".contains("dataset \(dir)/m: 100x100x100 values would need 8.6 MiB"), "\(error)")
        }
        XCTAssertEqual(try IDXReader.read("\(dir)/m", budget: MemoryBudget(megabytes: 16), memoryPerByte: 9).bytes.count, 1_000_000)
    }

    func testFileCheckNamesWhatAPathIs() {
        XCTAssertEqual(FileCheck.inspect("\(dir)/none"), .unusable(.notFound))
        XCTAssertEqual(FileCheck.inspect(dir), .unusable(.directory))
        XCTAssertEqual(FileCheck.inspect("/dev/zero"), .unusable(.characterDevice))
        write("abc", to: "\(dir)/f")
        XCTAssertEqual(FileCheck.inspect("\(dir)/f"), .regular(size: 3))
    }

    // MARK: Hyperparameter rules

    func testRulesAreCheckedOnceWhenSettingAll() throws {
        var h = SGD.descriptor.defaults
        try h.set([("nesterov", .flag(true)), ("momentum", .number(0.5))])
        XCTAssertEqual(h["nesterov"], .flag(true))
        XCTAssertThrowsError(try h.set([("dampening", .number(0.5))]))
        XCTAssertEqual(h["dampening"], .number(0), "a refused set changes nothing")
        var reversed = SGD.descriptor.defaults
        try reversed.set([("momentum", .number(0.5)), ("nesterov", .flag(true))])
        XCTAssertEqual(reversed, h, "the order of the changes does not matter")
    }
}
