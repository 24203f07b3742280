import BPGradEngine
import Foundation
import XCTest

/// Replays trajectories recorded from torch.optim (scripts/make_solver_fixtures.py) and
/// requires every position to match to 1e-5 relative.
///
/// Each step starts from PyTorch's previous position (teacher forcing) with the solver's own
/// state: our gradient and our update must reproduce PyTorch's next position. Without it,
/// one-ulp differences in the gradient arithmetic compound over 100 steps and hide what is
/// being tested, the update rule; free-running Adam is checked separately below.
final class PyTorchReferenceTests: XCTestCase {
    struct Fixture: Decodable {
        struct Network: Decodable { var inputs: [Float]; var labels: [Int]; var layers: [Int]; var initial: [Float] }
        struct Case: Decodable {
            var solver: String
            var hyper: [String: HyperJSON]
            var problem: String
            var positions: [[Float]]
        }
        var steps: Int
        var network: Network
        var cases: [Case]
    }

    enum HyperJSON: Decodable {
        case number(Double), flag(Bool)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) { self = .flag(b) } else { self = .number(try c.decode(Double.self)) }
        }
        var value: HyperValue { switch self { case .number(let x): .number(x); case .flag(let b): .flag(b) } }
    }

    static let fixture: Fixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/solver_reference.json")
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }()

    private func makeSolver(_ c: Fixture.Case) throws -> any Solver {
        let descriptor = SolverRegistry.descriptor(SolverKind(c.solver))!
        var values = descriptor.defaults
        try values.set(c.hyper.map { (HyperKey($0.key), $0.value.value) })
        return try descriptor.makeSolver(values)
    }

    /// ||a - b|| / ||b||, the relative distance of a position from the reference.
    private func relativeError(_ a: [Float], _ b: [Float]) -> Double {
        var d = 0.0, n = 0.0
        for i in a.indices { d += Double(a[i] - b[i]) * Double(a[i] - b[i]); n += Double(b[i]) * Double(b[i]) }
        return (d / max(n, 1e-30)).squareRoot()
    }

    /// The gradient of the 2-D problems, in float32 as autograd evaluates it.
    static func gradient(_ problem: String, _ x: Float, _ y: Float) -> (Float, Float) {
        switch problem {
        case "rosenbrock":
            let r = y - x * x
            return (-(2 * (1 - x)) + (100 * (2 * r)) * (-(2 * x)), 100 * (2 * r))
        default:
            let u = x - 1, v = y + 0.5
            return (0.5 * (2 * u) + 0.5 * v, 2 * (2 * v) + 0.5 * u)
        }
    }

    private func replayFunction(_ c: Fixture.Case, teacherForcing: Bool = true) throws {
        let solver = try makeSolver(c)
        let p = FloatBuffer(c.positions[0]), g = FloatBuffer(count: 2)
        for t in 1...Self.fixture.steps {
            if teacherForcing { p[0] = c.positions[t - 1][0]; p[1] = c.positions[t - 1][1] }
            let (gx, gy) = Self.gradient(c.problem, p[0], p[1])
            g[0] = gx; g[1] = gy
            _ = solver.step(parameters: p.pointer, gradients: g.pointer, count: 2, context: StepContext(loss: 1, epoch: 1, epochStart: t == 1))
            let err = relativeError(p.array, c.positions[t])
            guard err <= 1e-5 else {
                return XCTFail("\(c.solver) \(c.hyper) on \(c.problem): step \(t) at \(p.array), torch at \(c.positions[t]) (relative error \(err))")
            }
        }
    }

    private func replayNetwork(_ c: Fixture.Case) throws {
        let f = Self.fixture.network
        let net = try Network(specs: [.dense(units: 4), .tanh, .dense(units: 2)], inputShape: Shape([3]), seed: 0)
        f.initial.withUnsafeBufferPointer { net.parameters.pointer.update(from: $0.baseAddress!, count: $0.count) }
        let batch = f.labels.count
        net.reserve(batch: batch)
        let solver = try makeSolver(c)
        let labels = f.labels.map(Float.init), dOut = FloatBuffer(count: batch * 2)
        for t in 1...Self.fixture.steps {
            c.positions[t - 1].withUnsafeBufferPointer { net.parameters.pointer.update(from: $0.baseAddress!, count: $0.count) }
            net.zeroGradients()
            let out = f.inputs.withUnsafeBufferPointer { net.forward($0.baseAddress!, batch: batch, training: true) }
            let loss = labels.withUnsafeBufferPointer {
                LossFunction.crossEntropy(logits: out, labels: $0.baseAddress!, batch: batch, classes: 2, gradient: dOut.pointer)
            }
            net.backward(dOut.pointer, batch: batch)
            _ = solver.step(parameters: net.parameters.pointer, gradients: net.gradients.pointer, count: net.parameterCount,
                            context: StepContext(loss: loss.loss, epoch: 1, epochStart: t == 1))
            let err = relativeError(net.parameters.array, c.positions[t])
            guard err <= 1e-5 else {
                return XCTFail("\(c.solver) \(c.hyper) on the network: step \(t), relative error \(err)")
            }
        }
    }

    private func replayAll(_ solver: String) throws {
        let cases = Self.fixture.cases.filter { $0.solver == solver }
        XCTAssertGreaterThanOrEqual(cases.count, 6, "the fixture has too few \(solver) trajectories")
        for c in cases {
            if c.problem == "network" { try replayNetwork(c) } else { try replayFunction(c) }
        }
    }

    /// Every registered solver replays PyTorch's trajectories, so a new solver fails here until
    /// `scripts/make_solver_fixtures.py` records it. BPGrad has no `torch.optim` counterpart:
    /// `BPGradCrossReferenceTests` replays the Python package's trajectories instead.
    func testEverySolverMatchesPyTorch() throws {
        for d in SolverRegistry.all where d.kind != BPGrad.kind { try replayAll(d.kind.rawValue) }
    }

    /// Adam with lr 0.01 on the standard Rosenbrock from (-1.5, 2), free-running for 100 steps.
    func testAdamOnRosenbrockFreeRunning() throws {
        let c = try XCTUnwrap(Self.fixture.cases.first {
            $0.solver == "adam" && $0.problem == "rosenbrock" && $0.hyper.count == 1
        })
        try replayFunction(c, teacherForcing: false)
    }
}
