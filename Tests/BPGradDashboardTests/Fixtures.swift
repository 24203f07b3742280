import BPGradDashboard
import BPGradEngine
import Foundation

/// A deterministic two-solver session snapshot: BPGrad and Adam after 400 steps on a
/// loss that decays with a little wobble, an evaluation every 50 steps and one L change.
func sampleSnapshot(steps: Int = 400) -> SessionSnapshot {
    var solvers = [SolverMetrics]()
    for (k, kind) in ["bpgrad", "adam"].enumerated() {
        var spec = SolverSpec(kind: kind)
        if kind == "bpgrad" { spec.values["lipschitz"] = .number(10) }
        var m = SolverMetrics(spec: spec, totalSteps: 1000)
        for s in 1...steps {
            let x = Double(s)
            let loss = 1.1 * exp(-x / (120 + 60 * Double(k))) + 0.02 + 0.01 * sin(x / 7)
            var t = SolverTelemetry()
            t.gradNorm = loss * 0.5
            if kind == "bpgrad" {
                t.fStar = 0.1 * loss; t.eta = (loss - 0.1 * loss) / 10; t.radius = t.eta; t.stepNorm = t.eta!
                t.lipschitzEstimate = 12.5; t.lipschitzMedian = 3.25
            } else {
                t.lr = 0.01; t.stepNorm = 0.01 * (1 + 0.2 * sin(x / 5))
            }
            let eval = s % 50 == 0
            let row = StepRow(step: s, epoch: 1 + s / 100, solver: kind, loss: loss, testLoss: eval ? loss * 1.1 : nil,
                              testAccuracy: eval ? 1 - loss / 1.2 : nil, telemetry: t,
                              lipschitz: kind == "bpgrad" ? 10 : nil, wallMilliseconds: x * 5)
            m.record(row, samplesPerSecond: s % 20 == 0 ? 12_345 + Double(k) * 1000 : nil, wallSeconds: x * 0.005)
        }
        m.status = .running
        solvers.append(m)
    }
    let events = [SessionEvent(step: 250, wallMilliseconds: 1250, solver: "bpgrad", kind: "set", detail: "lipschitz 8 -> 10")]
    return SessionSnapshot(solvers: solvers, events: events, elapsedSeconds: 2)
}

let sampleInfo = DashboardInfo(presetName: "spirals", datasetName: "spirals (1200 train)",
                               networkSummary: "dense(64) tanh dense(64) tanh dense(3)", parameterCount: 4547,
                               stepsPerEpoch: 100, runDirectory: "runs/test")
