import Foundation

/// Solvers racing on a 2-D test function from the same start, one step each per `step()`.
///
/// Gradient solvers are the ordinary `Solver` types on a two-element parameter buffer, with
/// the function's analytic gradient; `bpgrad-bp` is `BranchAndPrune`. Everything is cheap
/// enough to run on the caller's thread.
public final class LandscapeRun {
    public static let branchAndPruneKind = BranchAndPruneSettings.kind
    public static var kinds: [SolverKind] { [branchAndPruneKind] + SolverRegistry.kinds }

    public struct Record: Sendable, Equatable {
        public var solver: SolverKind
        public var step: Int
        public var x: Double, y: Double, f: Double
        public var eta: Double?, radius: Double?
        public var gradNorm: Double
        public var prunedFraction: Double?

        public static let csvHeader = "solver,step,x,y,f,eta,radius,grad_norm,pruned_fraction"

        public var csv: String {
            let g = NumberText.csv
            return [solver.rawValue, String(step), g(x), g(y), g(f), g(eta), g(radius), g(gradNorm), g(prunedFraction)].joined(separator: ",")
        }
    }

    public final class Track {
        public let kind: SolverKind
        public var hyper: Hyperparameters
        public private(set) var path: [SIMD2<Double>]
        public private(set) var records: [Record] = []
        public private(set) var diverged: Int?
        fileprivate var solver: (any Solver)?
        fileprivate var buffer = FloatBuffer(count: 2), grad = FloatBuffer(count: 2)
        public fileprivate(set) var branchAndPrune: BranchAndPrune?

        init(kind: SolverKind, hyper: Hyperparameters, start: SIMD2<Double>) {
            self.kind = kind
            self.hyper = hyper
            path = [start]
        }

        public var displayName: String {
            kind == LandscapeRun.branchAndPruneKind ? BranchAndPruneSettings.displayName : (SolverRegistry.descriptor(kind)?.displayName ?? kind.rawValue)
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
    public static func defaults(for function: TestFunction) -> [SolverKind: [HyperKey: HyperValue]] {
        let l = function.lipschitzEstimate
        var all: [SolverKind: [HyperKey: HyperValue]] = [branchAndPruneKind: [BPGrad.lipschitzKey: .number(l)]]
        // Only what differs from the solver's own defaults: a new function re-applies these
        // and leaves every other value the user set alone.
        for d in SolverRegistry.all {
            let own = d.defaults.values
            all[d.kind] = d.landscapeSettings(l).filter { own[$0.key] != $0.value }
        }
        return all
    }

    /// `overrides` are `solver.name=value` pairs, applied after the defaults for the function.
    public init(function: TestFunction, start: SIMD2<Double>?, solvers names: [String], overrides: [String]) throws(EngineError) {
        self.function = function
        let s = start ?? Self.defaultStart(function)
        guard function.domain.contains(s) else {
            throw .invalidValue(field: "--start", message: "\(s.x),\(s.y) is outside \(function.rawValue)'s domain [\(function.domain.x.lowerBound), \(function.domain.x.upperBound)] x [\(function.domain.y.lowerBound), \(function.domain.y.upperBound)]")
        }
        self.start = s
        guard !names.isEmpty else { throw .invalidValue(field: "--solvers", message: "name at least one solver") }
        var built = [Track]()
        for name in names {
            let kind = SolverKind(name)
            guard let schema = Self.schema(kind) else {
                throw .invalidValue(field: "--solvers", message: "unknown solver '\(name)' (known: \(Self.kinds.map(\.rawValue).joined(separator: ", ")))")
            }
            guard !built.contains(where: { $0.kind == kind }) else {
                throw .invalidValue(field: "--solvers", message: "'\(name)' is listed twice")
            }
            built.append(Track(kind: kind, hyper: Hyperparameters(schema: schema), start: s))
        }
        tracks = built
        applyDefaults(for: function)
        for o in overrides { try apply(o) }
        restart()
    }

    static func schema(_ kind: SolverKind) -> HyperparameterSchema? {
        kind == branchAndPruneKind ? BranchAndPruneSettings.schema : SolverRegistry.descriptor(kind)?.schema
    }

    private func applyDefaults(for function: TestFunction) {
        let defaults = Self.defaults(for: function)
        // Each comes from a Settings value, so it is valid; the test over every solver checks
        // that all of them are in force.
        for t in tracks { try? t.hyper.set((defaults[t.kind] ?? [:]).map { ($0.key, $0.value) }) }
    }

    static func defaultStart(_ f: TestFunction) -> SIMD2<Double> {
        let d = f.domain
        return SIMD2(d.x.lowerBound + 0.8 * (d.x.upperBound - d.x.lowerBound), d.y.lowerBound + 0.8 * (d.y.upperBound - d.y.lowerBound))
    }

    /// `solver.name=value`, for one of the racing solvers.
    private func apply(_ override: String) throws(EngineError) {
        let parts = override.split(separator: "=", maxSplits: 1).map(String.init)
        let key = parts.first?.split(separator: ".", maxSplits: 1).map(String.init) ?? []
        guard parts.count == 2, key.count == 2 else {
            throw .invalidValue(field: "--set \(override)", message: "expected solver.hyperparameter=value, for example bpgrad.lipschitz=30")
        }
        guard let track = tracks.first(where: { $0.kind.rawValue == key[0] }) else {
            throw .invalidValue(field: "--set \(override)", message: "'\(key[0])' is not one of the racing solvers (\(tracks.map(\.kind.rawValue).joined(separator: ", ")))")
        }
        guard let name = track.hyper.schema.key(named: key[1]) else {
            throw .invalidValue(field: "--set \(override)", message: "\(track.kind) has no hyperparameter '\(key[1])'; it has \(track.hyper.schema.keys.map(\.rawValue).joined(separator: ", "))")
        }
        try track.hyper.set(name, text: parts[1])
    }

    /// Sets one hyperparameter live; bpgrad-bp rebuilds its bounds for a new L.
    public func set(solver index: Int, key: HyperKey, value: HyperValue) throws(EngineError) {
        let t = tracks[index]
        try t.hyper.set(key, value)
        if let s = t.solver { try s.set(key, value) }
        if let bp = t.branchAndPrune {
            let settings = BranchAndPruneSettings(values: t.hyper.values)
            bp.lipschitz = settings.lipschitz
            bp.rho = settings.rho
        }
    }

    /// Back to the start (optionally a new function or start), fresh solver state.
    public func restart(function newFunction: TestFunction? = nil, start newStart: SIMD2<Double>? = nil) {
        if let newFunction, newFunction != function {
            function = newFunction
            start = newStart ?? Self.defaultStart(newFunction)
            applyDefaults(for: newFunction)
        } else if let newStart, function.domain.contains(newStart) {
            start = newStart
        }
        for t in tracks {
            t.reset(start: start)
            if t.kind == Self.branchAndPruneKind {
                let settings = BranchAndPruneSettings(values: t.hyper.values)
                t.branchAndPrune = BranchAndPrune(function: function, start: start, lipschitz: settings.lipschitz, rho: settings.rho)
                t.solver = nil
            } else {
                t.solver = try? SolverRegistry.descriptor(t.kind)?.makeSolver(t.hyper)
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
