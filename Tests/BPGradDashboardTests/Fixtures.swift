import BPGradDashboard
import BPGradEngine
import Foundation

/// Configurations as the command line would give them, on the spirals preset's defaults.
func sampleConfigurations(_ text: String = "bpgrad:lipschitz=10, adam") -> [Configuration] {
    try! ConfigurationList.resolve(ConfigurationSyntax.parseList(text, field: "test"),
                                   base: { SolverRegistry.descriptor($0)!.defaults }, field: "test")
}

/// A deterministic session snapshot: BPGrad and Adam (or `text`'s configurations) after
/// `steps` steps on a loss that decays with a little wobble, an evaluation every 50 steps and
/// one L change at step 250.
func sampleSnapshot(steps: Int = 400, _ text: String = "bpgrad:lipschitz=10, adam") -> SessionSnapshot {
    var all = [ConfigurationMetrics]()
    for (k, c) in sampleConfigurations(text).enumerated() {
        var m = ConfigurationMetrics(configuration: c, totalSteps: 1000)
        let prunes = c.traits.prunes
        for s in 1...steps {
            let x = Double(s)
            let loss = 1.1 * exp(-x / (120 + 60 * Double(k))) + 0.02 + 0.01 * sin(x / 7) + 0.03 * sin(x * 1.7 + Double(k))
            var t = SolverTelemetry()
            t.gradNorm = loss * 0.5
            if prunes {
                t.fStar = 0.1 * loss; t.eta = (loss - 0.1 * loss) / 10; t.radius = t.eta; t.stepNorm = t.eta! * 0.8
                t.lipschitzEstimate = 12.5; t.lipschitzMedian = 3.25; t.lipschitz = 10; t.momentum = 0.9; t.rho = 0.1
            } else {
                t.lr = 0.01; t.stepNorm = 0.01 * (1 + 0.2 * sin(x / 5))
            }
            let eval = s % 50 == 0
            m.record(StepRecord(step: s, epoch: 1 + s / 100, loss: loss, test: eval ? Evaluation(loss: loss * 1.1, accuracy: 1 - loss / 1.2) : nil,
                                telemetry: t, wallMilliseconds: x * 5, samples: 64))
        }
        m.status = .running
        all.append(m)
    }
    let change = SessionEvent(step: 250, wallMilliseconds: 1250, solver: all[0].name, kind: .set, detail: "lipschitz 8 -> 10",
                              change: HyperChange(key: "lipschitz", old: .number(8), new: .number(10)))
    return SessionSnapshot(configurations: all, events: [change], markers: [change], elapsedSeconds: 2)
}

let sampleInfo = DashboardInfo(presetName: "spirals", datasetName: "spirals (1200 train)",
                               networkSummary: "dense(64) tanh dense(64) tanh dense(3)", parameterCount: 4547,
                               stepsPerEpoch: 100, runDirectory: "runs/test")
