import BPGradEngine

/// What the landscape view draws: the function, its minima, and each solver's path and numbers.
public struct LandscapeModel: Sendable {
    public struct Track: Sendable {
        public var kind: SolverKind
        public var name: String
        public var path: [SIMD2<Double>]
        public var fNow: Double?
        public var best: Double
        public var distance: Double
        public var steps: Int
        /// The step at which branch and pruning ran out of unpruned space, or the solver diverged.
        public var finished: Int?
        public var prunedFraction: Double?
        public var hyper: Hyperparameters

        public init(kind: SolverKind, name: String, path: [SIMD2<Double>], fNow: Double?, best: Double, distance: Double,
                    steps: Int, finished: Int?, prunedFraction: Double?, hyper: Hyperparameters) {
            self.kind = kind; self.name = name; self.path = path; self.fNow = fNow; self.best = best; self.distance = distance
            self.steps = steps; self.finished = finished; self.prunedFraction = prunedFraction; self.hyper = hyper
        }

        /// The first step whose point lies outside the domain, if the path ever left it.
        public func leftDomain(_ d: TestFunction.Domain) -> Int? { path.firstIndex { !d.contains($0) } }
    }

    public var functionName: String
    public var function: any Objective2D
    public var minima: [SIMD2<Double>]
    public var tracks: [Track]
    public var isPruned: @Sendable (SIMD2<Double>) -> Bool
    public var stepLimit: Int

    public init(functionName: String, function: any Objective2D, minima: [SIMD2<Double>], tracks: [Track],
                isPruned: @escaping @Sendable (SIMD2<Double>) -> Bool, stepLimit: Int) {
        self.functionName = functionName; self.function = function; self.minima = minima; self.tracks = tracks
        self.isPruned = isPruned; self.stepLimit = stepLimit
    }

    public var slots: [ParameterSlot] {
        tracks.enumerated().flatMap { i, t in t.hyper.infos.map { ParameterSlot(configuration: i, key: $0.key) } }
    }
}
