import BPGradEngine
import Foundation
import XCTest

/// Replays BPGrad trajectories recorded from the Python package (python/bpgrad, written by
/// scripts/make_bpgrad_cross_fixture.py) through this engine's BPGrad: every position and every
/// telemetry value must match to 1e-5 relative, so the two implementations keep one update rule.
///
/// Teacher forcing: each step starts from the recorded position with the recorded gradient and
/// loss, and the solver keeps its own state (velocity, running minimum, epoch mean, Lipschitz
/// window); what is compared is the update itself, not float32 round-off compounding.
final class BPGradCrossReferenceTests: XCTestCase {
    struct Fixture: Decodable {
        var cases: [Case]
    }

    struct Case: Decodable {
        var name: String
        var hyper: [String: Value]
        /// Hyperparameter changes applied just before the (1-based) step.
        var changes: [Change]
        var positions: [[Float]]
        var gradients: [[Float]]
        var losses: [Double]
        var epochStarts: [Bool]
        var eta: [Double]
        var fStar: [Double]
        var gradNorm: [Double]
        var stepNorm: [Double]
        var lipschitzEstimate: [Double?]
    }

    struct Change: Decodable {
        var step: Int
        var name: String
        var value: Value
    }

    enum Value: Decodable {
        case number(Double), text(String)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let x = try? c.decode(Double.self) { self = .number(x) } else { self = .text(try c.decode(String.self)) }
        }
        var hyper: HyperValue { switch self { case .number(let x): .number(x); case .text(let s): .choice(s) } }
    }

    static let fixture: Fixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/bpgrad_cross_reference.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try! decoder.decode(Fixture.self, from: Data(contentsOf: url))
    }()

    /// ||a - b|| / ||b||.
    private func relativeError(_ a: [Float], _ b: [Float]) -> Double {
        var d = 0.0, n = 0.0
        for i in a.indices { d += Double(a[i] - b[i]) * Double(a[i] - b[i]); n += Double(b[i]) * Double(b[i]) }
        return (d / max(n, 1e-30)).squareRoot()
    }

    private func close(_ a: Double?, _ b: Double?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return abs(a - b) <= 1e-5 * max(abs(b), 1e-12)
    }

    private func replay(_ c: Case) throws {
        let solver = BPGrad()
        try solver.apply({ var h = BPGrad.descriptor.defaults; try h.set(c.hyper.map { (HyperKey($0.key), $0.value.hyper) }); return h }())
        let n = c.positions[0].count
        let p = FloatBuffer(count: n), g = FloatBuffer(count: n)
        for t in c.losses.indices {
            for change in c.changes where change.step == t + 1 { try solver.set(HyperKey(change.name), change.value.hyper) }
            for i in 0..<n { p[i] = c.positions[t][i]; g[i] = c.gradients[t][i] }
            let telemetry = solver.step(parameters: p.pointer, gradients: g.pointer, count: n,
                                        context: StepContext(loss: c.losses[t], epoch: 1, epochStart: c.epochStarts[t]))
            let err = relativeError(p.array, c.positions[t + 1])
            guard err <= 1e-5 else {
                return XCTFail("\(c.name): step \(t + 1) at \(p.array), Python at \(c.positions[t + 1]) (relative error \(err))")
            }
            let pairs: [(String, Double?, Double?)] = [
                ("eta", telemetry.eta, c.eta[t]), ("f_star", telemetry.fStar, c.fStar[t]),
                ("grad_norm", telemetry.gradNorm, c.gradNorm[t]), ("step_norm", telemetry.stepNorm, c.stepNorm[t]),
                ("lipschitz_estimate", telemetry.lipschitzEstimate, c.lipschitzEstimate[t]),
            ]
            for (name, swift, python) in pairs where !close(swift, python) {
                return XCTFail("\(c.name): \(name) at step \(t + 1) is \(String(describing: swift)), Python has \(String(describing: python))")
            }
        }
    }

    /// Both placements, momentum on and off, weight decay on and off, epoch_mean, and L, rho, mu
    /// and eta_placement changed between steps (the velocity converted at a switch by the same rule).
    func testPythonTrajectoriesReplayThroughSwift() throws {
        let cases = Self.fixture.cases
        XCTAssertGreaterThanOrEqual(cases.count, 20, "the fixture has too few BPGrad trajectories")
        XCTAssertTrue(cases.contains { $0.changes.contains { $0.name == "eta_placement" } }, "the fixture has no placement switch")
        XCTAssertTrue(cases.contains { if case .text("epoch_mean")? = $0.hyper["loss_source"] { true } else { false } },
                      "the fixture has no epoch_mean trajectory")
        for c in cases { try replay(c) }
    }
}
