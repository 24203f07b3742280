import Foundation

/// Solvers racing on a 2-D test function from the same start, one step each per `step()`.
///
/// Gradient solvers are the ordinary `Solver` types on a two-element parameter buffer, with
/// the function's analytic gradient; `bpgrad-bp` is `BranchAndPrune`. Everything is cheap
/// enough to run on the caller's thread.
public final class LandscapeRun {
    public static let branchAndPruneKind = "bpgrad-bp"
    public static var kinds: [String] { [branchAndPruneKind] + SolverRegistry.kinds }

    /// bpgrad-bp's hyperparameters, validated like any solver's.
    public static let branchAndPruneSchema: [HyperparameterInfo] = [
        .positive("lipschitz", 50, "Lipschitz constant L"),
        .fraction("rho", 0.1, "f* = rho * min f", closedAbove: true),
    ]

    public struct Record: Sendable, Equatable {
        public var solver: String
        public var step: Int
        public var x: Double, y: Double, f: Double
        public var eta: Double?, radius: Double?
        public var gradNorm: Double
        public var prunedFraction: Double?

        public static let csvHeader = "solver,step,x,y,f,eta,radius,grad_norm,pruned_fraction"

        public var csv: String {
            func g(_ v: Double?) -> String { v.map { String(format: "%.9g", $0) } ?? "" }
            return [solver, String(step), g(x), g(y), g(f), g(eta), g(radius), g(gradNorm), g(prunedFraction)].joined(separator: ",")
        }
    }

    public final class Track {
        public let kind: String
        public var hyper: Hyperparameters
        public private(set) var path: [SIMD2<Double>]
        public private(set) var records: [Record] = []
        public private(set) var diverged: Int?
        fileprivate var solver: (any Solver)?
        fileprivate var buffer = FloatBuffer(count: 2), grad = FloatBuffer(count: 2)
        public fileprivate(set) var branchAndPrune: BranchAndPrune?

        init(kind: String, hyper: Hyperparameters, start: SIMD2<Double>) {
            self.kind = kind
            self.hyper = hyper
            path = [start]
        }

        public var displayName: String {
            kind == LandscapeRun.branchAndPruneKind ? "BPGrad-BP" : (SolverRegistry.type(named: kind)?.displayName ?? kind)
        }
        public var position: SIMD2<Double> { path.last! }
        public var bestValue: Double { records.map(\.f).min() ?? .infinity }
        public var steps: Int { records.count }
        public var finished: Int? { branchAndPrune?.finishedAt ?? diverged }

        fileprivate func append(_ r: Record, next: SIMD2<Double>) {
            records.append(r)
            path.append(next)
        }

        fileprivate func reset(start: SIMD2<Double>) {
            path = [start]; records = []; diverged = nil
        }

        fileprivate func markDiverged(_ step: Int) { diverged = step }
    }

    public private(set) var function: TestFunction
    public private(set) var start: SIMD2<Double>
    public let tracks: [Track]

    /// Sensible step sizes for the test functions' domains (a few units across), before `overrides`.
    public static func defaults(for function: TestFunction) -> [String] {
        let l = function.lipschitzEstimate
        return ["bpgrad.lipschitz=\(l)", "\(branchAndPruneKind).lipschitz=\(l)", "adam.lr=0.05", "sgd.lr=0.001",
                "rmsprop.lr=0.01", "adagrad.lr=0.5"]
    }

    /// `overrides` are `solver.name=value` pairs, applied after the defaults for the function.
    public init(function: TestFunction, start: SIMD2<Double>?, solvers kinds: [String], overrides: [String]) throws(EngineError) {
        self.function = function
        let s = start ?? Self.defaultStart(function)
        guard function.domain.contains(s) else {
            throw .invalidValue(field: "--start", message: "\(s.x),\(s.y) is outside \(function.rawValue)'s domain [\(function.domain.x.lowerBound), \(function.domain.x.upperBound)] x [\(function.domain.y.lowerBound), \(function.domain.y.upperBound)]")
        }
        self.start = s
        guard !kinds.isEmpty else { throw .invalidValue(field: "--solvers", message: "name at least one solver") }
        var built = [Track]()
        for kind in kinds {
            guard Self.kinds.contains(kind) else {
                throw .invalidValue(field: "--solvers", message: "unknown solver '\(kind)' (known: \(Self.kinds.joined(separator: ", ")))")
            }
            guard !built.contains(where: { $0.kind == kind }) else {
                throw .invalidValue(field: "--solvers", message: "'\(kind)' is listed twice")
            }
            let schema = kind == Self.branchAndPruneKind ? Self.branchAndPruneSchema : SolverRegistry.schema(kind)!
            built.append(Track(kind: kind, hyper: Hyperparameters(solver: kind, schema: schema), start: s))
        }
        tracks = built
        for o in Self.defaults(for: function) { try apply(o, strict: false) }
        for o in overrides { try apply(o, strict: true) }
        restart()
    }

    static func defaultStart(_ f: TestFunction) -> SIMD2<Double> {
        let d = f.domain
        return SIMD2(d.x.lowerBound + 0.8 * (d.x.upperBound - d.x.lowerBound), d.y.lowerBound + 0.8 * (d.y.upperBound - d.y.lowerBound))
    }

    /// `solver.name=value`; with `strict`, a solver that is not racing is an error.
    private func apply(_ override: String, strict: Bool) throws(EngineError) {
        let parts = override.split(separator: "=", maxSplits: 1).map(String.init)
        let key = parts.first?.split(separator: ".", maxSplits: 1).map(String.init) ?? []
        guard parts.count == 2, key.count == 2 else {
            throw .invalidValue(field: "--set \(override)", message: "expected solver.hyperparameter=value, for example bpgrad.lipschitz=30")
        }
        guard let track = tracks.first(where: { $0.kind == key[0] }) else {
            if strict { throw .invalidValue(field: "--set \(override)", message: "'\(key[0])' is not one of the racing solvers (\(tracks.map(\.kind).joined(separator: ", ")))") }
            return
        }
        try track.hyper.set(key[1], text: parts[1])
    }

    /// Sets one hyperparameter live; bpgrad-bp rebuilds its bounds for a new L.
    public func set(solver index: Int, name: String, value: HyperValue) throws(EngineError) {
        let t = tracks[index]
        try t.hyper.set(name, value)
        if let s = t.solver { try s.hyper.set(name, value) }
        if let bp = t.branchAndPrune {
            bp.lipschitz = t.hyper.number("lipschitz")
            bp.rho = t.hyper.number("rho")
        }
    }

    /// Back to the start (optionally a new function or start), fresh solver state.
    public func restart(function newFunction: TestFunction? = nil, start newStart: SIMD2<Double>? = nil) {
        if let newFunction, newFunction != function {
            function = newFunction
            start = newStart ?? Self.defaultStart(newFunction)
            for t in tracks {
                for o in Self.defaults(for: newFunction) where o.hasPrefix(t.kind + ".") {
                    let kv = o.dropFirst(t.kind.count + 1).split(separator: "=").map(String.init)
                    try? t.hyper.set(kv[0], text: kv[1])
                }
            }
        } else if let newStart, function.domain.contains(newStart) {
            start = newStart
        }
        for t in tracks {
            t.reset(start: start)
            if t.kind == Self.branchAndPruneKind {
                t.branchAndPrune = BranchAndPrune(function: function, start: start, lipschitz: t.hyper.number("lipschitz"), rho: t.hyper.number("rho"))
                t.solver = nil
            } else {
                let s = SolverRegistry.type(named: t.kind)!.init()
                s.hyper = t.hyper
                t.solver = s
                t.buffer[0] = Float(start.x); t.buffer[1] = Float(start.y)
            }
        }
    }

    /// One step of every solver that is still going.
    public func step() {
        for t in tracks where t.finished == nil {
            let n = t.steps + 1
            if let bp = t.branchAndPrune {
                guard let s = bp.step(number: n) else { continue }
                t.append(Record(solver: t.kind, step: n, x: s.from.x, y: s.from.y, f: s.value, eta: s.eta, radius: s.radius,
                                gradNorm: s.gradientNorm, prunedFraction: bp.prunedFraction), next: bp.position)
            } else if let solver = t.solver {
                let x = t.buffer[0], y = t.buffer[1]
                let f = function.value(Double(x), Double(y))
                let (gx, gy) = function.gradient(x, y)
                t.grad[0] = gx; t.grad[1] = gy
                let tel = solver.step(parameters: t.buffer.pointer, gradients: t.grad.pointer, count: 2,
                                      context: StepContext(loss: f, epoch: 1, epochStart: n == 1))
                let next = SIMD2(Double(t.buffer[0]), Double(t.buffer[1]))
                t.append(Record(solver: t.kind, step: n, x: Double(x), y: Double(y), f: f, eta: tel.eta ?? tel.stepNorm,
                                radius: tel.radius, gradNorm: tel.gradNorm, prunedFraction: nil), next: next)
                if !f.isFinite || !next.x.isFinite || !next.y.isFinite { t.markDiverged(n) }
            }
        }
    }
}
