import BPGradEngine
import XCTest

/// BPGrad's update checked against numbers worked out by hand.
final class BPGradTests: XCTestCase {
    private func solver(_ values: [HyperKey: HyperValue]) throws -> BPGrad {
        let s = BPGrad()
        for (k, v) in values.sorted(by: { $0.key < $1.key }) { try s.set(k, v) }
        return s
    }

    private func step(_ s: BPGrad, _ p: FloatBuffer, grad: [Float], loss: Double, epochStart: Bool = false) -> SolverTelemetry {
        let g = FloatBuffer(grad)
        return s.step(parameters: p.pointer, gradients: g.pointer, count: p.count, context: StepContext(loss: loss, epoch: 1, epochStart: epochStart))
    }

    /// L = 2, rho = 0.5, mu = 0.5, paper placement, g = (3, 4) so ||g|| = 5.
    /// Step 1: f = 4, f* = 2, eta = 1, v = -(0.6, 0.8), x = (1, 1) + v = (0.4, 0.2).
    /// Step 2: f = 3, f* = 1.5, eta = 0.75, g = (0, 2): v = 0.5 * (-0.6, -0.8) - 0.75 * (0, 1) = (-0.3, -1.15),
    /// x = (0.1, -0.95).
    func testPaperPlacementByHand() throws {
        let s = try solver(["lipschitz": .number(2), "rho": .number(0.5), "momentum": .number(0.5)])
        let p = FloatBuffer([1, 1])
        let t1 = step(s, p, grad: [3, 4], loss: 4, epochStart: true)
        XCTAssertEqual(t1.fStar!, 2, accuracy: 1e-12)
        XCTAssertEqual(t1.eta!, 1, accuracy: 1e-12)
        XCTAssertEqual(t1.radius!, 1, accuracy: 1e-12)
        XCTAssertEqual(t1.gradNorm, 5, accuracy: 1e-6)
        XCTAssertEqual(t1.stepNorm, 1, accuracy: 1e-6)
        XCTAssertEqual(p[0], 0.4, accuracy: 1e-6); XCTAssertEqual(p[1], 0.2, accuracy: 1e-6)
        let t2 = step(s, p, grad: [0, 2], loss: 3)
        XCTAssertEqual(t2.fStar!, 1.5, accuracy: 1e-12)
        XCTAssertEqual(t2.eta!, 0.75, accuracy: 1e-12)
        XCTAssertEqual(p[0], 0.1, accuracy: 1e-6); XCTAssertEqual(p[1], -0.95, accuracy: 1e-6)
        XCTAssertEqual(t2.stepNorm, (0.3 * 0.3 + 1.15 * 1.15).squareRoot(), accuracy: 1e-6)
        // The Lipschitz estimate: |f_2 - f_1| / ||x_2 - x_1|| = 1 / 1.
        XCTAssertEqual(t2.lipschitzEstimate!, 1, accuracy: 1e-6)
    }

    /// Reference placement (the authors' code): v = mu v - g/||g||, x += eta v.
    /// Same numbers: step 1 as above; step 2: v = 0.5 * (-0.6, -0.8) - (0, 1) = (-0.3, -1.4),
    /// x = (0.4, 0.2) + 0.75 * v = (0.175, -0.85).
    func testReferencePlacementByHand() throws {
        let s = try solver(["lipschitz": .number(2), "rho": .number(0.5), "momentum": .number(0.5), "eta_placement": .choice("reference")])
        let p = FloatBuffer([1, 1])
        _ = step(s, p, grad: [3, 4], loss: 4, epochStart: true)
        XCTAssertEqual(p[0], 0.4, accuracy: 1e-6); XCTAssertEqual(p[1], 0.2, accuracy: 1e-6)
        _ = step(s, p, grad: [0, 2], loss: 3)
        XCTAssertEqual(p[0], 0.175, accuracy: 1e-6); XCTAssertEqual(p[1], -0.85, accuracy: 1e-6)
    }

    /// The minimum in f* runs over every loss so far, including the current one.
    func testFStarTracksRunningMinimum() throws {
        let s = try solver(["lipschitz": .number(1), "rho": .number(0.1), "momentum": .number(0)])
        let p = FloatBuffer([0, 0])
        let losses = [5.0, 2.0, 3.0, 1.0, 4.0]
        var minimum = Double.infinity
        for (i, f) in losses.enumerated() {
            minimum = min(minimum, f)
            let t = step(s, p, grad: [1, 0], loss: f, epochStart: i == 0)
            XCTAssertEqual(t.fStar!, 0.1 * minimum, accuracy: 1e-12)
            XCTAssertEqual(t.eta!, f - 0.1 * minimum, accuracy: 1e-12)
            // With mu = 0 the step norm is exactly eta.
            XCTAssertEqual(t.stepNorm, t.eta!, accuracy: 1e-6 * t.eta!)
        }
    }

    func testZeroGradientSkipsTheStep() throws {
        let s = try solver([:])
        let p = FloatBuffer([1, 2])
        let t = step(s, p, grad: [0, 0], loss: 1, epochStart: true)
        XCTAssertTrue(t.skipped)
        XCTAssertEqual(t.stepNorm, 0)
        XCTAssertEqual(p.array, [1, 2])
    }

    /// With `epoch_mean`, f_t is the mean of the batch losses so far in the epoch.
    func testEpochMeanLossSource() throws {
        let s = try solver(["loss_source": .choice("epoch_mean"), "rho": .number(0), "lipschitz": .number(1), "momentum": .number(0)])
        let p = FloatBuffer([0])
        XCTAssertEqual(step(s, p, grad: [1], loss: 4, epochStart: true).lossUsed!, 4, accuracy: 1e-12)
        XCTAssertEqual(step(s, p, grad: [1], loss: 2).lossUsed!, 3, accuracy: 1e-12)
        XCTAssertEqual(step(s, p, grad: [1], loss: 6).lossUsed!, 4, accuracy: 1e-12)
        XCTAssertEqual(step(s, p, grad: [1], loss: 8, epochStart: true).lossUsed!, 8, accuracy: 1e-12)
    }

    func testWeightDecayIsPartOfTheNormalisedGradient() throws {
        // g = (0, 0) + 0.5 * (2, 0) = (1, 0): a pure-decay step of length eta along -x.
        let s = try solver(["weight_decay": .number(0.5), "lipschitz": .number(1), "rho": .number(0), "momentum": .number(0)])
        let p = FloatBuffer([2, 0])
        _ = step(s, p, grad: [0, 0], loss: 0.5, epochStart: true)
        XCTAssertEqual(p[0], 1.5, accuracy: 1e-6)
    }

    func testInvalidHyperparametersAreRejected() {
        let s = BPGrad()
        XCTAssertThrowsError(try s.set("lipschitz", .number(0))) { error in
            XCTAssertEqual("\(error)", "bpgrad.lipschitz: invalid value 0 (must be > 0)")
        }
        XCTAssertThrowsError(try s.set("momentum", .number(1)))
        XCTAssertThrowsError(try s.set("rho", .number(1.5)))
        XCTAssertThrowsError(try s.set("eta_placement", .choice("sideways")))
        XCTAssertThrowsError(try s.set("lipschits", .number(3))) { error in
            XCTAssertTrue("\(error)".contains("unknown hyperparameter"), "\(error)")
        }
        XCTAssertNoThrow(try s.set("rho", .number(1)))
        XCTAssertEqual(s.settings.rho, 1, "typed settings follow a set")
    }

    /// Every field of every solver's settings round-trips through its key, and its default is the struct's.
    func testEverySettingsFieldRoundTrips() throws {
        for d in SolverRegistry.all {
            let solver = try d.makeSolver()
            for info in d.schema.infos {
                XCTAssertEqual(solver.hyper[info.key], info.defaultValue, "\(d.kind).\(info.key)")
                guard let next = info.nudged(info.defaultValue, up: true) else { continue }
                let probe = try d.makeSolver()
                var changed = d.defaults.values
                changed[info.key] = next
                if d.schema.conflict(in: changed) != nil {
                    XCTAssertThrowsError(try probe.set(info.key, next), "\(d.kind).\(info.key): the rule between fields holds")
                    continue
                }
                try probe.set(info.key, next)
                XCTAssertEqual(probe.hyper[info.key], next, "\(d.kind).\(info.key) did not reach the settings")
            }
        }
    }

    /// Reduction: with mu = 0, both placements take the same step, x - eta g/||g||.
    func testPlacementsAgreeWithoutMomentum() throws {
        let a = try solver(["lipschitz": .number(3), "momentum": .number(0)])
        let b = try solver(["lipschitz": .number(3), "momentum": .number(0), "eta_placement": .choice("reference")])
        let pa = FloatBuffer([1, -2, 0.5]), pb = FloatBuffer([1, -2, 0.5])
        for (i, (g, f)) in [([0.3, -0.1, 2], 2.5), ([1, 1, 1], 1.7), ([-0.2, 0.05, 0.4], 1.9)].enumerated() {
            let grad = g.map { Float($0) }
            _ = step(a, pa, grad: grad, loss: f, epochStart: i == 0)
            _ = step(b, pb, grad: grad, loss: f, epochStart: i == 0)
            for k in 0..<3 { XCTAssertEqual(pa[k], pb[k], accuracy: 1e-6) }
        }
    }

    /// Reduction: with rho = 1 and a constant loss, f* = f and eta = 0: nothing moves.
    func testRhoOneWithConstantLossStandsStill() throws {
        let s = try solver(["rho": .number(1), "momentum": .number(0)])
        let p = FloatBuffer([0.5, 0.25])
        for i in 0..<5 {
            let t = step(s, p, grad: [1, 2], loss: 0.7, epochStart: i == 0)
            XCTAssertEqual(t.eta!, 0, accuracy: 1e-15)
        }
        XCTAssertEqual(p.array, [0.5, 0.25])
    }

    /// Switching placement mid-run carries the velocity over with the last eta: the next step
    /// continues the last displacement, as if the run had always used the new form.
    func testPlacementSwitchConvertsTheVelocity() throws {
        let s = try solver(["lipschitz": .number(2), "rho": .number(0.5), "momentum": .number(0.5)])
        let p = FloatBuffer([1, 1])
        _ = step(s, p, grad: [3, 4], loss: 4, epochStart: true)            // eta 1, v = -(0.6, 0.8): a displacement
        let note = try s.set("eta_placement", .choice("reference"))
        XCTAssertEqual(note, "velocity converted")
        // Reference step: v = 0.5 * v/eta_1 - g/||g|| = (-0.3, -0.4) - (0, 1); x += eta_2 v with eta_2 = 0.75.
        _ = step(s, p, grad: [0, 2], loss: 3)
        XCTAssertEqual(p[0], 0.4 - 0.75 * 0.3, accuracy: 1e-6)
        XCTAssertEqual(p[1], 0.2 - 0.75 * 1.4, accuracy: 1e-6)
        // Back to the paper form: v is scaled by eta_2 = 0.75 into a displacement.
        XCTAssertEqual(try s.set("eta_placement", .choice("paper")), "velocity converted")
        // Before any step there is nothing to convert: the velocity starts from zero.
        let fresh = try solver([:])
        XCTAssertEqual(try fresh.set("eta_placement", .choice("reference")), "velocity reset")
        XCTAssertNil(try fresh.set("lipschitz", .number(7)), "other changes leave the velocity alone")
    }

    func testCopyContinuesIdentically() throws {
        let a = try solver(["lipschitz": .number(3), "momentum": .number(0.7)])
        let pa = FloatBuffer([1, -2]), pb = FloatBuffer([1, -2])
        _ = step(a, pa, grad: [0.3, -0.1], loss: 2.5, epochStart: true)
        let b = a.copy()
        pb.pointer.update(from: pa.pointer, count: 2)
        for (g, f) in [([1.0, 0.5], 2.0), ([0.2, -0.4], 1.5), ([0.7, 0.1], 1.8)] {
            let ta = step(a, pa, grad: g.map { Float($0) }, loss: f), tb = step(b, pb, grad: g.map { Float($0) }, loss: f)
            XCTAssertEqual(ta, tb)
            XCTAssertEqual(pa.array, pb.array)
        }
    }

    /// A live edit between steps changes the step without resetting the momentum.
    func testLiveEditKeepsVelocity() throws {
        let s = try solver(["lipschitz": .number(1), "rho": .number(0), "momentum": .number(0.5)])
        let p = FloatBuffer([0])
        _ = step(s, p, grad: [1], loss: 1, epochStart: true)      // v = -1, x = -1
        try s.set("lipschitz", .number(2))
        _ = step(s, p, grad: [1], loss: 1)                         // v = -0.5 - 0.5 = -1, x = -2
        XCTAssertEqual(p[0], -2, accuracy: 1e-6)
        s.reset()
        _ = step(s, p, grad: [1], loss: 1, epochStart: true)      // fresh: v = -0.5, x = -2.5
        XCTAssertEqual(p[0], -2.5, accuracy: 1e-6)
    }
}

/// The Lipschitz estimate's median and maximum over its window, against a sort.
final class BPGradEstimateTests: XCTestCase {
    func testMedianAndMaximumOfTheWindow() throws {
        let s = BPGrad()
        try s.set("momentum", .number(0)); try s.set("rho", .number(0)); try s.set("lipschitz", .number(1))
        let p = FloatBuffer([0]), g = FloatBuffer([1])
        var losses = [Double](), steps = [Double](), ratios = [Double]()
        var rng = SeededGenerator(seed: 5)
        var last: SolverTelemetry?
        for i in 0..<130 {
            let f = 1 + rng.uniform(0, 1)
            g[0] = 1
            let t = s.step(parameters: p.pointer, gradients: g.pointer, count: 1,
                           context: StepContext(loss: f, epoch: 1, epochStart: i == 0))
            if let prev = losses.last, let step = steps.last { ratios.append(abs(f - prev) / step) }
            losses.append(f); steps.append(t.stepNorm); last = t
        }
        let window = Array(ratios.suffix(BPGrad.estimateWindow)).sorted()
        XCTAssertEqual(window.count, 100)
        XCTAssertEqual(last!.lipschitzEstimate!, window.last!, accuracy: 1e-6 * window.last!)
        XCTAssertEqual(last!.lipschitzMedian!, (window[49] + window[50]) / 2, accuracy: 1e-6 * window[50])
    }
}
