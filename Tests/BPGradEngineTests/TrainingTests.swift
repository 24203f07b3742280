import BPGradEngine
import XCTest

final class TrainingTests: XCTestCase {
    private func preset(_ overrides: [String] = []) throws -> Preset {
        try PresetLibrary.parse(yaml: PresetTests.minimal, file: "tiny.yaml", overrides: overrides)
    }

    private func losses(_ p: Preset, solver: SolverKind, steps: Int) throws -> [Double] {
        let trainer = try Experiment(preset: p).makeTrainer(try p.configuration(solver.rawValue))
        return (0..<steps).map { _ in trainer.trainStep().loss }
    }

    func testSameSeedSameLossesBitForBit() throws {
        let p = try preset()
        for solver in SolverRegistry.kinds {
            XCTAssertEqual(try losses(p, solver: solver, steps: 30), try losses(p, solver: solver, steps: 30), solver.rawValue)
        }
        XCTAssertNotEqual(try losses(p, solver: "adam", steps: 5), try losses(try preset(["training.seed=4"]), solver: "adam", steps: 5))
    }

    func testEverySolverSeesTheSameFirstBatch() throws {
        let p = try preset()
        let first = try SolverRegistry.kinds.map { try losses(p, solver: $0, steps: 1)[0] }
        XCTAssertEqual(Set(first).count, 1, "\(first)")
    }

    /// A shuffled minibatch holds the right rows with their own targets: with the whole
    /// training set in one batch, the first step's loss (before any update) is the mean loss
    /// over the set, as the evaluation's contiguous pass computes it.
    func testAShuffledBatchKeepsEachSampleWithItsTarget() throws {
        for kind in ["spirals", "sine"] {
            let yaml = """
            dataset: {kind: \(kind), n: 200, noise: 0.05}
            network: [{dense: 16}, tanh, {dense: \(kind == "sine" ? 1 : 3)}]
            loss: \(kind == "sine" ? "mse" : "cross_entropy")
            training: {batch_size: 1000, steps: 1, seed: 3}
            """
            let p = try PresetLibrary.parse(yaml: yaml, file: "\(kind).yaml", overrides: [])
            let setup = try Experiment(preset: p)
            let trainer = try setup.makeTrainer(try p.configuration("sgd"))
            let before = trainer.evaluate(setup.data.train).loss
            let step = trainer.trainStep()
            XCTAssertEqual(step.samples, setup.data.train.count)
            XCTAssertEqual(step.loss, before, accuracy: 1e-5 * before, kind)
        }
    }

    /// Training on the default spirals problem with SGD reaches high training accuracy.
    func testSpiralsTrainsToHighAccuracy() throws {
        let yaml = """
        dataset: {kind: spirals, n: 600, noise: 0.03, classes: 3}
        network: [{dense: 32}, tanh, {dense: 32}, tanh, {dense: 3}]
        training: {batch_size: 32, steps: 1500, seed: 1}
        solvers: {adam: {lr: 0.01}}
        """
        let p = try PresetLibrary.parse(yaml: yaml, file: "spirals-test.yaml", overrides: [])
        let setup = try Experiment(preset: p)
        let trainer = try setup.makeTrainer(try p.configuration("adam"))
        let summary = TrainingRun(trainer: trainer, steps: 1500, evalEvery: 500).run()
        let train = trainer.evaluate(setup.data.train)
        XCTAssertGreaterThan(train.accuracy!, 0.95, "train accuracy \(train.accuracy!)")
        XCTAssertLessThan(summary.finalTrainLoss, 0.2)
    }

    func testDivergenceStopsTheRun() throws {
        let p = try preset(["sgd.lr=1e30"])
        let trainer = try Experiment(preset: p).makeTrainer(try p.configuration("sgd"))
        let summary = TrainingRun(trainer: trainer, steps: 50, evalEvery: 10).run()
        XCTAssertNotNil(summary.divergedAt)
        XCTAssertLessThan(summary.steps, 50)
    }

    func testLogRowsCarryBPGradInvariants() throws {
        let p = try preset(["bpgrad.momentum=0"])
        let trainer = try Experiment(preset: p).makeTrainer(try p.configuration("bpgrad"))
        var rows = [StepRecord]()
        _ = TrainingRun(trainer: trainer, steps: 50, evalEvery: 10).run { rows.append($0) }
        var minimum = Double.infinity
        for r in rows {
            minimum = min(minimum, r.loss)
            let t = r.telemetry
            XCTAssertEqual(t.radius!, (r.loss - t.fStar!) / t.lipschitz!, accuracy: 1e-9)
            XCTAssertEqual(t.fStar!, 0.1 * minimum, accuracy: 1e-9)
            XCTAssertEqual(t.stepNorm, t.eta!, accuracy: 1e-4 * t.eta!)
        }
        XCTAssertEqual(StepCSV.line(rows[9], name: "bpgrad").split(separator: ",", omittingEmptySubsequences: false).count, StepCSV.columns.count)
        XCTAssertNotNil(rows[9].test)
        XCTAssertNil(rows[8].test)
    }
}
