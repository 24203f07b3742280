/// Everything the store knows about one solver: status, latest values and history.
public struct SolverMetrics: Sendable {
    public var kind: String
    public var displayName: String
    public var status: SolverStatus = .starting
    public var step = 0
    public var epoch = 1
    public var totalSteps: Int
    public var hyper: Hyperparameters
    public var latest: StepRow?
    /// Debiased exponential moving average of the training loss (weight 0.95).
    public var lossEMA: Double?
    public var bestLoss: Double?
    public var lastTestLoss: Double?
    public var lastTestAccuracy: Double?
    public var bestTestAccuracy: Double?
    public var samplesPerSecond = 0.0
    public var series: [Series: DecimatedSeries]
    /// The latest decision boundary, when one was asked for.
    public var boundary: DecisionBoundary?

    static let emaWeight = 0.95
    private var emaRaw = 0.0, emaCount = 0

    public init(spec: SolverSpec, totalSteps: Int) {
        kind = spec.kind
        displayName = spec.displayName
        self.totalSteps = totalSteps
        hyper = spec.resolved
        series = Dictionary(uniqueKeysWithValues: Series.allCases.map { ($0, DecimatedSeries()) })
    }

    public mutating func record(_ row: StepRow, samplesPerSecond rate: Double?, wallSeconds: Double) {
        step = row.step
        epoch = row.epoch
        latest = row
        let x = Double(row.step)
        func add(_ s: Series, _ v: Double?) { if let v { series[s]?.append(x: x, y: v) } }
        add(.loss, row.loss)
        add(.testLoss, row.testLoss)
        add(.testAccuracy, row.testAccuracy)
        let t = row.telemetry
        add(.lr, t.lr); add(.eta, t.eta); add(.radius, t.radius); add(.fStar, t.fStar)
        add(.gradNorm, t.gradNorm); add(.stepNorm, t.stepNorm); add(.lipschitzEstimate, t.lipschitzEstimate)
        add(.wallTime, wallSeconds)
        if let rate { samplesPerSecond = rate; add(.samplesPerSecond, rate) }
        if row.loss.isFinite {
            emaCount += 1
            emaRaw = Self.emaWeight * emaRaw + (1 - Self.emaWeight) * row.loss
            lossEMA = emaRaw / (1 - pow(Self.emaWeight, Double(emaCount)))
            bestLoss = min(bestLoss ?? .infinity, row.loss)
        }
        if let l = row.testLoss { lastTestLoss = l }
        if let a = row.testAccuracy {
            lastTestAccuracy = a
            bestTestAccuracy = max(bestTestAccuracy ?? 0, a)
        }
    }

    mutating func clearHistory() {
        for key in series.keys { series[key]?.removeAll() }
        step = 0; epoch = 1; latest = nil; lossEMA = nil; bestLoss = nil
        lastTestLoss = nil; lastTestAccuracy = nil; bestTestAccuracy = nil
        emaRaw = 0; emaCount = 0
    }
}

import Foundation
