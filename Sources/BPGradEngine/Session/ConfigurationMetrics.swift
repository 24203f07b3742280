import Foundation

/// Everything the store knows about one configuration: identity, status, latest values and history.
public struct ConfigurationMetrics: Sendable {
    public var configuration: Configuration
    public var status: SolverStatus = .starting
    public var step = 0
    public var epoch = 1
    /// The preset's length; a dashboard run may go past it.
    public var totalSteps: Int
    public var latest: StepRecord?
    /// Debiased exponential moving average of the training loss (weight 0.95).
    public var lossEMA: Double?
    public var bestLoss: Double?
    public var lastTestLoss: Double?
    public var lastTestAccuracy: Double?
    public var bestTestAccuracy: Double?
    public var throughput: Throughput
    /// Training seconds (pauses left out) at the latest step.
    public var trainingSeconds = 0.0
    public var series: SeriesSet
    /// The latest decision boundary, when one was asked for.
    public var boundary: DecisionBoundary?
    /// The loss `reachedTarget` watches for, and the first step whose smoothed loss is at or below it.
    public let targetLoss: Double?
    public private(set) var reachedTarget: Int?

    private var ema = DebiasedEMA(weight: 0.95)

    public init(configuration: Configuration, totalSteps: Int, startStep: Int = 0, startSeconds: Double = 0, targetLoss: Double? = nil) {
        self.configuration = configuration
        self.targetLoss = targetLoss
        self.totalSteps = totalSteps
        step = startStep
        trainingSeconds = startSeconds
        throughput = Throughput(startSeconds: startSeconds)
        series = SeriesSet()
    }

    public var name: String { configuration.name }
    public var label: String { configuration.label }
    public var kind: SolverKind { configuration.kind }
    public var hyper: Hyperparameters { configuration.hyperparameters }

    /// Reports BPGrad's quantities (eta, radius, f*): by the kind's traits, or for a kind
    /// another program wrote, by whether its rows carry an eta.
    public var prunes: Bool {
        configuration.descriptor.map { $0.traits.prunes } ?? (latest?.telemetry.eta != nil)
    }

    /// Samples per second: recent while running, the whole mean otherwise (see `Throughput`).
    public var samplesPerSecond: Double { throughput.rate(running: status == .running) }

    public mutating func record(_ r: StepRecord) {
        step = r.step
        epoch = r.epoch
        latest = r
        trainingSeconds = r.wallMilliseconds / 1000
        throughput.add(samples: r.samples, at: trainingSeconds)
        let x = Double(r.step)
        func add(_ s: Series, _ v: Double?) { if let v { series.append(s, x: x, y: v) } }
        add(.loss, r.loss)
        add(.testLoss, r.test?.loss)
        add(.testAccuracy, r.test?.accuracy)
        let t = r.telemetry
        add(.eta, t.eta); add(.radius, t.radius); add(.gradNorm, t.gradNorm); add(.stepNorm, t.stepNorm)
        add(.wallTime, trainingSeconds)
        if r.loss.isFinite {
            lossEMA = ema.add(r.loss)
            bestLoss = min(bestLoss ?? .infinity, r.loss)
            if reachedTarget == nil, let target = targetLoss, let ema = lossEMA, ema <= target { reachedTarget = r.step }
        }
        if let l = r.test?.loss { lastTestLoss = l }
        if let a = r.test?.accuracy {
            lastTestAccuracy = a
            bestTestAccuracy = max(bestTestAccuracy ?? 0, a)
        }
    }
}
