import CKernels
import DequeModule
import Foundation

/// BPGrad (Zhang, Wu & Wang, "BPGrad: Towards Global Optimality in Deep Learning via
/// Branch and Pruning", CVPR 2018), the deep-learning solver of the paper's Algorithm 2.
///
/// With L the Lipschitz constant, f_t the loss at x_t and g_t its gradient plus
/// weight_decay * x_t:
///
///     f*_t    = rho * min_{i <= t} f_i           estimate of the global minimum
///     eta_t   = (f_t - f*_t) / L                 step size = pruned radius r_t
///     paper:      v_{t+1} = mu * v_t - eta_t * g_t / ||g_t||_2,   x_{t+1} = x_t + v_{t+1}
///     reference:  v_{t+1} = mu * v_t - g_t / ||g_t||_2,           x_{t+1} = x_t + eta_t * v_{t+1}
///
/// Lipschitz continuity means no point within r_t of x_t has a loss below f*_t: that ball
/// is pruned, and the step goes exactly to its edge. `||g||` is one norm over all
/// parameters. `reference` is the authors' published MATLAB code. With `loss_source =
/// epoch_mean`, f_t is the running mean of the batch losses so far in the epoch, as that
/// code does; the minimum then runs over those means. A zero gradient skips the step.
/// With momentum 0 (paper placement) the step norm is exactly eta_t.
///
/// Defaults: lipschitz 50, momentum 0.9, rho 0.1, weight_decay 0, eta_placement paper,
/// loss_source batch.
public final class BPGrad: Solver {
    public static let kind: SolverKind = "bpgrad"
    public static let displayName = "BPGrad"
    public static let summary = "branch and pruning: steps of (f - f*)/L along -g/||g|| (Zhang, Wu & Wang, CVPR 2018)"
    public static let traits = SolverTraits.branchAndPrune
    public static let maxStateVectors = 1
    /// L's key, which every pruning solver shares (branch and pruning, writers of other
    /// languages): views read the constant in force by it.
    public static let lipschitzKey: HyperKey = "lipschitz"
    /// L is the test function's own estimate.
    public static func landscapeSettings(lipschitz: Double) -> Settings { var s = Settings(); s.lipschitz = lipschitz; return s }

    /// Where eta_t multiplies the update (see the type's documentation).
    public enum EtaPlacement: String, HyperChoice { case paper, reference }
    /// What f_t is: the minibatch loss, or the running mean of the epoch's batch losses.
    public enum LossSource: String, HyperChoice { case batch, epochMean = "epoch_mean" }

    public struct Settings: SolverSettings {
        public var lipschitz = 50.0
        public var momentum = 0.9
        public var rho = 0.1
        public var weightDecay = 0.0
        public var etaPlacement = EtaPlacement.paper
        public var lossSource = LossSource.batch

        public init() {}

        public static let fields: [HyperparameterField<Self>] = [
            .number(BPGrad.lipschitzKey, \.lipschitz, .positive, symbol: "L", "Lipschitz constant L"),
            .number("momentum", \.momentum, .fraction, symbol: "mu", "momentum mu"),
            .number("rho", \.rho, .closedFraction, "f* = rho * min f"),
            .weightDecay(\.weightDecay),
            .choice("eta_placement", \.etaPlacement, symbol: "eta", "where eta multiplies the update"),
            .choice("loss_source", \.lossSource, symbol: "f", "f_t: batch loss or epoch running mean"),
        ]
    }

    /// How many recent iterate pairs the Lipschitz estimate looks at.
    public static let estimateWindow = 100

    public var settings = Settings()
    private var velocity: FloatBuffer?
    private var minLoss = Double.infinity
    private var epochSum = 0.0, epochCount = 0
    private var previousLoss: Double?, previousStepNorm = 0.0
    /// eta of the last step taken, to carry the velocity across a switch of `eta_placement`.
    private var lastEta: Double?
    private var ratios = Deque<Double>()
    /// Scratch for the median, allocated once so a step allocates nothing.
    private var scratch = [Double](repeating: 0, count: BPGrad.estimateWindow)

    public init() {}

    public func reset() {
        velocity = nil
        minLoss = .infinity
        epochSum = 0; epochCount = 0
        previousLoss = nil; previousStepNorm = 0
        lastEta = nil
        ratios.removeAll()
    }

    public func copy() -> BPGrad {
        let c = BPGrad()
        c.settings = settings
        c.velocity = velocity?.clone()
        c.minLoss = minLoss
        c.epochSum = epochSum; c.epochCount = epochCount
        c.previousLoss = previousLoss; c.previousStepNorm = previousStepNorm
        c.lastEta = lastEta
        c.ratios = ratios
        return c
    }

    /// The velocity is a displacement in the paper's form and a sum of unit directions in the
    /// reference form. A switch converts it with the eta of the last step taken, so the next
    /// step continues the last displacement (paper -> reference: v / eta; back: eta * v); with
    /// no step taken yet, or eta 0, it starts again from zero.
    public func settingsChanged(from old: Settings) -> String? {
        guard old.etaPlacement != settings.etaPlacement else { return nil }
        guard let v = velocity, let eta = lastEta, eta > 0, eta.isFinite else {
            velocity = nil
            return "velocity reset"
        }
        let factor = Float(settings.etaPlacement == .reference ? 1 / eta : eta)
        for i in 0..<v.count { v.pointer[i] *= factor }
        return "velocity converted"
    }

    /// The velocity, and g read once more for the global norm (and p with weight decay).
    public var bytesPerParameter: Int { 4 * (3 + 2) + 4 + (settings.weightDecay != 0 ? 4 : 0) }

    public func step(parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafeMutablePointer<Float>, count n: Int,
                     context: StepContext) -> SolverTelemetry {
        let lipschitz = settings.lipschitz, mu = Float(settings.momentum), rho = settings.rho
        let wd = Float(settings.weightDecay)

        let f = lossValue(context)
        observeLipschitz(f)
        minLoss = min(minLoss, f)
        let fStar = rho * minLoss
        let eta = (f - fStar) / lipschitz
        let gradNorm = bpg_norm_squared(g, p, n, wd).squareRoot()

        var t = SolverTelemetry()
        t.eta = eta; t.radius = eta; t.fStar = fStar; t.lossUsed = f; t.gradNorm = gradNorm
        t.lipschitz = lipschitz; t.momentum = settings.momentum; t.rho = rho
        (t.lipschitzEstimate, t.lipschitzMedian) = estimate()
        guard gradNorm > 0, gradNorm.isFinite else {
            t.skipped = gradNorm == 0
            previousStepNorm = 0
            return t
        }
        let v = SolverKernels.state(&velocity, count: n)
        // v = mu*v - scale*g; x += eta*v (reference) or x += v (paper), in one pass.
        let sums: bpg_sums
        if settings.etaPlacement == .reference {
            sums = bpg_bpgrad(p, g, v, n, wd, mu, Float(1 / gradNorm), Float(eta), 1)
        } else {
            sums = bpg_bpgrad(p, g, v, n, wd, mu, Float(eta / gradNorm), 1, 0)
        }
        t.stepNorm = sums.stepSquared.squareRoot()
        previousStepNorm = t.stepNorm
        lastEta = eta
        return t
    }

    private func lossValue(_ context: StepContext) -> Double {
        guard settings.lossSource == .epochMean else { return context.loss }
        if context.epochStart { epochSum = 0; epochCount = 0 }
        epochSum += context.loss
        epochCount += 1
        return epochSum / Double(epochCount)
    }

    /// |f_{t+1} - f_t| / ||x_{t+1} - x_t|| for the step just taken, into the window.
    private func observeLipschitz(_ f: Double) {
        defer { previousLoss = f }
        guard let last = previousLoss, previousStepNorm > 0 else { return }
        let ratio = abs(f - last) / previousStepNorm
        guard ratio.isFinite else { return }
        ratios.append(ratio)
        if ratios.count > BPGrad.estimateWindow { ratios.removeFirst() }
    }

    private func estimate() -> (Double?, Double?) {
        let n = ratios.count
        guard n > 0 else { return (nil, nil) }
        for (i, r) in ratios.enumerated() { scratch[i] = r }
        let hi = BPGrad.select(&scratch, count: n, rank: n / 2)
        let median = n % 2 == 1 ? hi : (BPGrad.select(&scratch, count: n, rank: n / 2 - 1) + hi) / 2
        return (ratios.max(), median)
    }

    /// The element of rank `k` among the first `count` values (quickselect, in place).
    static func select(_ a: inout [Double], count: Int, rank k: Int) -> Double {
        var lo = 0, hi = count - 1
        while lo < hi {
            let pivot = a[(lo + hi) / 2]
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { break }
        }
        return a[k]
    }
}
