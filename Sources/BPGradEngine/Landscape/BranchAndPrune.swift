import Foundation

/// BPGrad's branch and pruning in full, as is possible in two dimensions (`bpgrad-bp`).
///
/// Every sample x_i is kept with its value f_i. With f* = rho * min f_i, the ball
/// B(x_i, (f_i - f*)/L) cannot hold a point below f* if f is L-Lipschitz: it is pruned.
/// From x_t the solver steps along -g_t/||g_t|| by the smallest eta >= r_t whose point lies
/// outside every pruned ball, walking the ray through the balls it meets by their exact exits.
/// If the ray leaves the domain first, it branches: it jumps to the unpruned grid point with
/// the lowest Lipschitz lower bound max_i (f_i - L ||x - x_i||). It stops when no unpruned grid
/// point remains: the finite-iteration claim made visible.
///
/// A grid point p is pruned exactly when its lower bound LB(p) exceeds f*, so the solver keeps
/// LB on the grid and updates it in one pass per sample; as f* only falls, the pruned region
/// only grows.
public final class BranchAndPrune {
    public let function: any Objective2D
    public var lipschitz: Double
    public var rho: Double
    public let gridSize: Int
    public private(set) var samples: [(p: SIMD2<Double>, f: Double)] = []
    public private(set) var position: SIMD2<Double>
    public private(set) var finishedAt: Int?
    /// max_i (f_i - L ||p - x_i||) at each grid point, row-major from the domain's lower corner.
    public private(set) var lowerBound: [Double]
    private var lowerBoundL: Double
    /// Grid indices branched to (and so sampled).
    private var visited = Set<Int>()

    public init(function: any Objective2D, start: SIMD2<Double>, lipschitz: Double, rho: Double, gridSize: Int = 160) {
        self.function = function
        self.lipschitz = lipschitz
        self.rho = rho
        self.gridSize = gridSize
        position = start
        lowerBound = Array(repeating: -.infinity, count: gridSize * gridSize)
        lowerBoundL = lipschitz
    }

    public var bestValue: Double { samples.map(\.f).min() ?? .infinity }
    public var fStar: Double { rho * (samples.isEmpty ? 0 : bestValue) }

    public func radius(_ i: Int) -> Double { max(0, (samples[i].f - fStar) / lipschitz) }

    public func gridPoint(_ i: Int, _ j: Int) -> SIMD2<Double> {
        let d = function.domain
        return SIMD2(d.x.lowerBound + (d.x.upperBound - d.x.lowerBound) * Double(i) / Double(gridSize - 1),
                     d.y.lowerBound + (d.y.upperBound - d.y.lowerBound) * Double(j) / Double(gridSize - 1))
    }

    /// True when `p` lies strictly inside some pruned ball.
    public func isPruned(_ p: SIMD2<Double>) -> Bool {
        let fs = fStar
        for s in samples where s.f - lipschitz * distance(p, s.p) > fs { return true }
        return false
    }

    /// Which grid cells are pruned now, as a value a view can keep and read from any thread.
    public var prunedGrid: PrunedGrid {
        let fs = fStar
        return PrunedGrid(domain: function.domain, size: gridSize, pruned: lowerBound.map { $0 > fs })
    }

    /// The share of the domain's grid that is pruned.
    public var prunedFraction: Double {
        let fs = fStar
        return Double(lowerBound.reduce(0) { $0 + ($1 > fs ? 1 : 0) }) / Double(lowerBound.count)
    }

    /// What one step did.
    public struct Step: Sendable {
        public var from: SIMD2<Double>
        public var value: Double
        public var gradientNorm: Double
        public var radius: Double
        public var eta: Double
        /// True when the ray left the domain and the solver jumped to the best unpruned grid point.
        public var branched: Bool
    }

    /// Samples the current point, prunes its ball and moves on. Nil once finished.
    public func step(number: Int) -> Step? {
        guard finishedAt == nil else { return nil }
        if lipschitz != lowerBoundL { rebuildLowerBound() }
        let x = position
        let f = function.value(x.x, x.y)
        samples.append((x, f))
        absorb(samples.count - 1)
        let (gx, gy) = function.gradient(Float(x.x), Float(x.y))
        let g = SIMD2(Double(gx), Double(gy)), gn = (g * g).sum().squareRoot()
        let r = radius(samples.count - 1)
        var eta = r, branched = false, moved = false
        if gn > 0, gn.isFinite, let walked = walk(from: x, direction: -g / gn, start: r) {
            let next = x + walked * (-g / gn)
            // A zero-length step would sample x again forever: with rho = 1 the best sample's
            // radius is 0 and nothing pushes the ray off it. It branches instead.
            if next != x {
                eta = walked
                position = next
                moved = true
            }
        }
        if !moved {
            if let target = bestUnprunedGridIndex() {
                branched = true
                visited.insert(target)
                position = gridPoint(target % gridSize, target / gridSize)
                eta = distance(position, x)
            } else {
                finishedAt = number
            }
        }
        if finishedAt == nil, bestUnprunedGridPoint() == nil { finishedAt = number }
        return Step(from: x, value: f, gradientNorm: gn, radius: r, eta: eta, branched: branched)
    }

    /// The smallest eta >= start at which x + eta d is outside every ball, or nil when the ray
    /// leaves the domain first. Each ball the point is inside pushes eta to the ray's exit from it.
    func walk(from x: SIMD2<Double>, direction d: SIMD2<Double>, start: Double) -> Double? {
        var eta = start
        let fs = fStar
        var moved = true
        while moved {
            moved = false
            let p = x + eta * d
            guard function.domain.contains(p) else { return nil }
            for s in samples {
                let r = (s.f - fs) / lipschitz
                guard r > 0 else { continue }
                let c = p - s.p
                if (c * c).sum() < r * r {
                    // |x + t d - s.p| = r: t = -b + sqrt(b^2 - q), with b = d.(x - s.p), q = |x - s.p|^2 - r^2.
                    let w = x - s.p, b = (d * w).sum(), q = (w * w).sum() - r * r
                    let exit = -b + max(0, b * b - q).squareRoot()
                    eta = max(eta, exit) * (1 + 1e-12) + 1e-12
                    moved = true
                }
            }
        }
        return eta
    }

    /// Adds a sample without moving (tests build pruned regions by hand with it).
    func addSample(_ p: SIMD2<Double>, _ f: Double) {
        samples.append((p, f))
        absorb(samples.count - 1)
    }

    private func absorb(_ i: Int) {
        let s = samples[i]
        for j in 0..<gridSize {
            for k in 0..<gridSize {
                let bound = s.f - lipschitz * distance(gridPoint(k, j), s.p)
                if bound > lowerBound[j * gridSize + k] { lowerBound[j * gridSize + k] = bound }
            }
        }
    }

    private func rebuildLowerBound() {
        lowerBound = Array(repeating: -.infinity, count: gridSize * gridSize)
        lowerBoundL = lipschitz
        for i in samples.indices { absorb(i) }
    }

    /// The unpruned grid point with the lowest lower bound (the most promising place left),
    /// leaving out grid points already branched to: sampled once, they have nothing more to say.
    func bestUnprunedGridPoint() -> SIMD2<Double>? {
        bestUnprunedGridIndex().map { gridPoint($0 % gridSize, $0 / gridSize) }
    }

    private func bestUnprunedGridIndex() -> Int? {
        let fs = fStar
        var best: Int?
        for (i, lb) in lowerBound.enumerated() where lb <= fs && !visited.contains(i) {
            if best == nil || lb < lowerBound[best!] { best = i }
        }
        return best
    }
}

@inline(__always)
func distance(_ a: SIMD2<Double>, _ b: SIMD2<Double>) -> Double { ((a - b) * (a - b)).sum().squareRoot() }
