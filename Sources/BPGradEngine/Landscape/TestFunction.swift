import Foundation

/// Classic two-dimensional optimisation test functions, each on its standard domain and
/// shifted so that its global minimum value is 0 (BPGrad assumes f >= 0).
///
/// Values and gradients are evaluated in Float32, in the order PyTorch's autograd evaluates
/// them, so a solver on a landscape can be compared step for step with torch.optim.
public enum TestFunction: String, Sendable, CaseIterable, Objective2D {
    case rastrigin, ackley, himmelblau, rosenbrock
    case sixHumpCamel = "six-hump-camel"
    case styblinskiTang = "styblinski-tang"

    public struct Domain: Sendable, Equatable {
        public var x: ClosedRange<Double>
        public var y: ClosedRange<Double>
        public init(x: ClosedRange<Double>, y: ClosedRange<Double>) { self.x = x; self.y = y }
        public func contains(_ p: SIMD2<Double>) -> Bool { x.contains(p.x) && y.contains(p.y) }
    }

    public var domain: Domain {
        switch self {
        case .rastrigin: Domain(x: -5.12...5.12, y: -5.12...5.12)
        case .ackley, .himmelblau, .styblinskiTang: Domain(x: -5...5, y: -5...5)
        case .rosenbrock: Domain(x: -2...2, y: -1...3)
        case .sixHumpCamel: Domain(x: -3...3, y: -2...2)
        }
    }

    /// Every global minimiser (value 0 after the shift).
    public var minima: [SIMD2<Double>] {
        switch self {
        case .rastrigin, .ackley: [SIMD2(0, 0)]
        case .himmelblau: [SIMD2(3, 2), SIMD2(-2.805118, 3.131312), SIMD2(-3.779310, -3.283186), SIMD2(3.584428, -1.848126)]
        case .rosenbrock: [SIMD2(1, 1)]
        case .sixHumpCamel: [SIMD2(0.0898420131, -0.7126564030), SIMD2(-0.0898420131, 0.7126564030)]
        case .styblinskiTang: [SIMD2(-2.903534018, -2.903534018)]
        }
    }

    /// The amount added so the global minimum is 0.
    var shift: Double {
        switch self {
        case .sixHumpCamel: 1.0316284534898774
        case .styblinskiTang: 78.33233140754282
        default: 0
        }
    }

    public func value(_ x: Double, _ y: Double) -> Double {
        switch self {
        case .rastrigin:
            return 20 + x * x - 10 * cos(2 * .pi * x) + y * y - 10 * cos(2 * .pi * y)
        case .ackley:
            return -20 * exp(-0.2 * (0.5 * (x * x + y * y)).squareRoot()) - exp(0.5 * (cos(2 * .pi * x) + cos(2 * .pi * y))) + M_E + 20
        case .himmelblau:
            let a = x * x + y - 11, b = x + y * y - 7
            return a * a + b * b
        case .rosenbrock:
            return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x)
        case .sixHumpCamel:
            return (4 - 2.1 * x * x + x * x * x * x / 3) * x * x + x * y + (-4 + 4 * y * y) * y * y + shift
        case .styblinskiTang:
            return 0.5 * (x * x * x * x - 16 * x * x + 5 * x + y * y * y * y - 16 * y * y + 5 * y) + shift
        }
    }

    /// The analytic gradient in Float32.
    public func gradient(_ x: Float, _ y: Float) -> (Float, Float) {
        let twoPi = Float.pi * 2
        switch self {
        case .rastrigin:
            return (2 * x + 10 * twoPi * sin(twoPi * x), 2 * y + 10 * twoPi * sin(twoPi * y))
        case .ackley:
            let r = (0.5 * (x * x + y * y)).squareRoot()
            let e1 = exp(-0.2 * r), e2 = exp(0.5 * (cos(twoPi * x) + cos(twoPi * y)))
            // d/dx of -20 e^{-0.2 r} is 2 e^{-0.2 r} x / r; at r = 0 the limit along any axis is 0.
            let a: Float = r > 0 ? 2 * e1 / r : 0
            return (a * x + e2 * 0.5 * twoPi * sin(twoPi * x), a * y + e2 * 0.5 * twoPi * sin(twoPi * y))
        case .himmelblau:
            let a = x * x + y - 11, b = x + y * y - 7
            return (2 * a * (2 * x) + 2 * b, 2 * a + 2 * b * (2 * y))
        case .rosenbrock:
            let r = y - x * x
            return (-(2 * (1 - x)) + (100 * (2 * r)) * (-(2 * x)), 100 * (2 * r))
        case .sixHumpCamel:
            return (8 * x - 8.4 * x * x * x + 2 * x * x * x * x * x + y, x - 8 * y + 16 * y * y * y)
        case .styblinskiTang:
            return (0.5 * (4 * x * x * x - 32 * x + 5), 0.5 * (4 * y * y * y - 32 * y + 5))
        }
    }

    /// The largest gradient norm over a grid of the domain: the Lipschitz constant there, near enough.
    public var lipschitzEstimate: Double {
        let n = 200
        var best = 0.0
        for i in 0...n {
            for j in 0...n {
                let x = domain.x.lowerBound + (domain.x.upperBound - domain.x.lowerBound) * Double(i) / Double(n)
                let y = domain.y.lowerBound + (domain.y.upperBound - domain.y.lowerBound) * Double(j) / Double(n)
                let (gx, gy) = gradient(Float(x), Float(y))
                best = max(best, Double((gx * gx + gy * gy).squareRoot()))
            }
        }
        return best
    }

    /// Distance from `p` to the nearest global minimiser.
    public func distanceToMinimum(_ p: SIMD2<Double>) -> Double {
        minima.map { (($0 - p) * ($0 - p)).sum().squareRoot() }.min() ?? .infinity
    }
}
