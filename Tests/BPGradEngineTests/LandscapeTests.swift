@testable import BPGradEngine
import Foundation
import XCTest

final class LandscapeTests: XCTestCase {
    func testEveryFunctionIsZeroAtItsMinimaAndNonNegative() {
        for f in TestFunction.allCases {
            for m in f.minima { XCTAssertEqual(f.value(m.x, m.y), 0, accuracy: 1e-5, "\(f) at \(m)") }
            var lowest = Double.infinity
            for i in 0...100 { for j in 0...100 {
                let x = f.domain.x.lowerBound + (f.domain.x.upperBound - f.domain.x.lowerBound) * Double(i) / 100
                let y = f.domain.y.lowerBound + (f.domain.y.upperBound - f.domain.y.lowerBound) * Double(j) / 100
                lowest = min(lowest, f.value(x, y))
            } }
            XCTAssertGreaterThanOrEqual(lowest, -1e-6, "\(f) dips below 0")
        }
    }

    func testGradientsMatchFiniteDifferences() {
        var rng = SeededGenerator(seed: 4)
        for f in TestFunction.allCases {
            for _ in 0..<20 {
                let x = rng.uniform(f.domain.x.lowerBound, f.domain.x.upperBound), y = rng.uniform(f.domain.y.lowerBound, f.domain.y.upperBound)
                let h = 1e-6
                let nx = (f.value(x + h, y) - f.value(x - h, y)) / (2 * h), ny = (f.value(x, y + h) - f.value(x, y - h)) / (2 * h)
                let (gx, gy) = f.gradient(Float(x), Float(y))
                let scale = max(1, abs(nx) + abs(ny))
                XCTAssertEqual(Double(gx), nx, accuracy: 2e-4 * scale, "\(f) d/dx at \(x),\(y)")
                XCTAssertEqual(Double(gy), ny, accuracy: 2e-4 * scale, "\(f) d/dy at \(x),\(y)")
            }
        }
    }

    /// The ray walk stops just past the last ball it meets: that point is outside every ball,
    /// and any smaller eta (down to r_t) is inside one.
    func testRayExitsThroughChainedBalls() {
        let bp = BranchAndPrune(function: Cone(center: SIMD2(9, 9)), start: SIMD2(0, 0), lipschitz: 1, rho: 0)
        // Balls of radius f/L = f along the x axis: centres 1, 2.5 and 4 with radii 1, 1, 0.9.
        bp.addSample(SIMD2(1, 0), 1); bp.addSample(SIMD2(2.5, 0), 1); bp.addSample(SIMD2(4, 0), 0.9)
        let eta = bp.walk(from: SIMD2(0, 0), direction: SIMD2(1, 0), start: 0.5)!
        XCTAssertEqual(eta, 4.9, accuracy: 1e-9)
        XCTAssertFalse(bp.isPruned(SIMD2(eta, 0)))
        for e in stride(from: 0.5, to: 4.89, by: 0.01) { XCTAssertTrue(bp.isPruned(SIMD2(e, 0)), "eta \(e) should be pruned") }
        // A ray that leaves the domain inside the balls returns nil: time to branch.
        bp.addSample(SIMD2(7, 0), 5)
        XCTAssertNil(bp.walk(from: SIMD2(0, 0), direction: SIMD2(1, 0), start: 0.5))
    }

    func testBranchingGoesToTheLowestLowerBound() {
        let f = Cone(center: SIMD2(3, -2))
        let bp = BranchAndPrune(function: f, start: SIMD2(-4, 4), lipschitz: 1, rho: 0.1, gridSize: 41)
        // After 12 steps the search has branched twice and is still open; by step 15 it has
        // sampled the cone's tip, a grid point, and nothing unpruned is left.
        for n in 1...12 { _ = bp.step(number: n) }
        let target = bp.bestUnprunedGridPoint()!
        var best = Double.infinity, bestPoint = SIMD2<Double>(0, 0)
        for j in 0..<41 { for i in 0..<41 {
            let p = bp.gridPoint(i, j)
            guard !bp.isPruned(p) else { continue }
            let lb = bp.samples.map { $0.f - 1 * distance(p, $0.p) }.max()!
            if lb < best { best = lb; bestPoint = p }
        } }
        XCTAssertEqual(target, bestPoint)
    }

    /// On a 1-Lipschitz cone with L = 1 the minimiser can never be pruned, and the search closes in on it.
    func testEnclosesTheMinimumOfALipschitzFunction() {
        let c = SIMD2(1.3, -2.2)
        let bp = BranchAndPrune(function: Cone(center: c), start: SIMD2(-4, 4), lipschitz: 1, rho: 0.5, gridSize: 81)
        for n in 1...300 {
            guard bp.step(number: n) != nil else { break }
            XCTAssertFalse(bp.isPruned(c), "the minimiser was pruned at step \(n)")
        }
        XCTAssertLessThan(bp.bestValue, 0.05)
        XCTAssertGreaterThan(bp.prunedFraction, 0.5)
    }

    /// The grid the heatmap shades agrees with the pruned share, cell by cell at the grid's points.
    func testPrunedGridMatchesThePrunedFraction() {
        let bp = BranchAndPrune(function: Cone(center: SIMD2(1, -2)), start: SIMD2(-4, 4), lipschitz: 1, rho: 0.3, gridSize: 41)
        for t in 1...12 { _ = bp.step(number: t) }
        let grid = bp.prunedGrid
        var pruned = 0
        for j in 0..<41 {
            for i in 0..<41 {
                let inside = grid.contains(bp.gridPoint(i, j))
                XCTAssertEqual(inside, bp.lowerBound[j * 41 + i] > bp.fStar, "cell \(i), \(j)")
                if inside { pruned += 1 }
            }
        }
        XCTAssertGreaterThan(pruned, 0)
        XCTAssertEqual(Double(pruned) / Double(41 * 41), bp.prunedFraction, accuracy: 1e-12)
        XCTAssertFalse(grid.contains(SIMD2(50, 50)), "outside the domain")
        XCTAssertFalse(grid.contains(SIMD2(.nan, 0)) || grid.contains(SIMD2(1e300, 0)), "no trap, no cell")
    }

    func testHeadlessRunIsDeterministic() throws {
        func records() throws -> [LandscapeRun.Record] {
            let run = try LandscapeRun(function: .himmelblau, start: SIMD2(-4, -1), solvers: ["bpgrad-bp", "bpgrad", "adam"], overrides: [])
            for _ in 0..<100 { run.step() }
            return run.tracks.flatMap(\.records)
        }
        let a = try records()
        XCTAssertEqual(a.count, 300)
        XCTAssertEqual(a, try records())
    }

    /// Adam with lr 0.01 on Rosenbrock from (-1.5, 2), through the landscape code, equals PyTorch.
    func testAdamOnRosenbrockMatchesPyTorch() throws {
        let reference = try XCTUnwrap(PyTorchReferenceTests.fixture.cases.first {
            $0.solver == "adam" && $0.problem == "rosenbrock" && $0.hyper.count == 1
        })
        let run = try LandscapeRun(function: .rosenbrock, start: SIMD2(-1.5, 2), solvers: ["adam"], overrides: ["adam.lr=0.01"])
        for _ in 0..<100 { run.step() }
        for (t, p) in run.tracks[0].path.enumerated() {
            let r = reference.positions[t]
            let err = (((p.x - Double(r[0])) * (p.x - Double(r[0])) + (p.y - Double(r[1])) * (p.y - Double(r[1]))) / Double(r[0] * r[0] + r[1] * r[1])).squareRoot()
            XCTAssertLessThanOrEqual(err, 1e-5, "step \(t): \(p) vs torch \(r)")
        }
    }

    /// Every registered solver gets settings for the test functions from its own file, and with
    /// them makes progress on each function without diverging.
    func testEverySolverDescendsWithItsLandscapeSettings() throws {
        for function in [TestFunction.himmelblau, .rosenbrock] {
            let run = try LandscapeRun(function: function, start: nil, solvers: SolverRegistry.kinds.map(\.rawValue), overrides: [])
            let start = function.value(run.start.x, run.start.y)
            for _ in 0..<300 { run.step() }
            for t in run.tracks {
                XCTAssertEqual(t.hyper.values, SolverRegistry.descriptor(t.kind)!.landscapeSettings(function.lipschitzEstimate),
                               "\(t.kind): its landscape settings are in force")
                XCTAssertNil(t.diverged, "\(t.kind) on \(function)")
                XCTAssertLessThan(t.bestValue, start, "\(t.kind) on \(function) from f = \(start)")
            }
        }
        XCTAssertEqual(MemoryBudget.solverStateVectors, 3, "RMSprop centred with momentum keeps three")
    }

    /// A new function re-applies only the function's own settings (L, step sizes); every other
    /// value the user set stays.
    func testANewFunctionKeepsTheUsersOtherSettings() throws {
        let run = try LandscapeRun(function: .himmelblau, start: nil, solvers: ["bpgrad", "adam"],
                                   overrides: ["bpgrad.rho=0.5", "adam.beta1=0.8", "adam.lr=0.2"])
        run.restart(function: .rosenbrock)
        XCTAssertEqual(run.tracks[0].hyper["rho"], .number(0.5))
        XCTAssertEqual(run.tracks[0].hyper["lipschitz"], .number(TestFunction.rosenbrock.lipschitzEstimate))
        XCTAssertEqual(run.tracks[1].hyper["beta1"], .number(0.8))
        XCTAssertEqual(run.tracks[1].hyper["lr"], .number(0.05), "the step size is the function's again")
    }

    func testBadStartsAndSolvers() {
        XCTAssertThrowsError(try LandscapeRun(function: .rosenbrock, start: SIMD2(5, 5), solvers: ["adam"], overrides: [])) {
            XCTAssertTrue("\($0)".contains("outside rosenbrock's domain"), "\($0)")
        }
        XCTAssertThrowsError(try LandscapeRun(function: .ackley, start: nil, solvers: ["newton"], overrides: []))
        XCTAssertThrowsError(try LandscapeRun(function: .ackley, start: nil, solvers: ["adam"], overrides: ["sgd.lr=1"]))
        XCTAssertThrowsError(try LandscapeRun(function: .ackley, start: nil, solvers: ["bpgrad-bp"], overrides: ["bpgrad-bp.lipschitz=0"]))
    }
}

/// f(p) = ||p - center||: 1-Lipschitz, minimum 0 at the centre, on [-5, 5]^2.
struct Cone: Objective2D {
    var center: SIMD2<Double>
    var domain: TestFunction.Domain { .init(x: -5...5, y: -5...5) }
    func value(_ x: Double, _ y: Double) -> Double { distance(SIMD2(x, y), center) }
    func gradient(_ x: Float, _ y: Float) -> (Float, Float) {
        let d = SIMD2(Double(x), Double(y)) - center, n = (d * d).sum().squareRoot()
        return n > 0 ? (Float(d.x / n), Float(d.y / n)) : (0, 0)
    }
}
