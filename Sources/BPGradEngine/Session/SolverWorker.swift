import Foundation

/// One solver's training loop on its own serial Dispatch queue.
///
/// The trainer (network, solver state, buffers) is created on that queue and never leaves
/// it; the outside world talks to the worker only through its command inbox and reads
/// what it publishes in the metrics store.
final class SolverWorker: Sendable {
    let index: Int
    let spec: SolverSpec
    private let queue: DispatchQueue
    private let inbox = Locked<[SessionCommand]>([])
    private let wake = DispatchSemaphore(value: 0)

    init(index: Int, spec: SolverSpec) {
        self.index = index
        self.spec = spec
        queue = DispatchQueue(label: "bpgrad.solver.\(index).\(spec.kind)", qos: .userInitiated)
    }

    func send(_ command: SessionCommand) {
        inbox.withLock { $0.append(command) }
        wake.signal()
    }

    func start(_ context: SessionContext, done: @escaping @Sendable () -> Void) {
        queue.async { [self] in
            run(context)
            done()
        }
    }

    /// Everything the loop needs, all of it Sendable.
    struct SessionContext: Sendable {
        var experiment: Experiment
        var store: MetricsStore
        var runDirectory: RunDirectory?
        /// Exit when training ends (headless `compare`), or wait for restart (dashboard).
        var exitWhenDone: Bool
        var startPaused: Bool
    }

    private func run(_ c: SessionContext) {
        let kind = spec.kind
        let store = c.store
        func event(_ step: Int, _ name: String, _ detail: String = "") {
            let e = SessionEvent(step: step, wallMilliseconds: store.elapsedSeconds * 1000, solver: kind, kind: name, detail: detail)
            store.add(e)
            c.runDirectory?.record(e)
        }
        let trainer: Trainer
        let writer: LineWriter?
        do {
            trainer = try c.experiment.makeTrainer(solver: spec)
            writer = try c.runDirectory.map { dir throws(EngineError) in try LineWriter(path: dir.csvPath(solver: kind), header: StepRow.header) }
        } catch {
            event(0, "error", "\(error)")
            store.setStatus(solver: index, .stopped)
            return
        }
        let total = c.experiment.totalSteps, evalEvery = c.experiment.preset.training.evalEvery
        var paused = c.startPaused, done = false, pendingSteps = 0
        var rateMark = (time: store.elapsedSeconds, samples: 0), samples = 0
        event(0, "start", spec.resolved.values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))

        while true {
            let commands = inbox.withLock { box in defer { box.removeAll() }; return box }
            for command in commands {
                switch command {
                case .pause where !paused:
                    paused = true; event(trainer.step, "pause")
                case .resume where paused:
                    paused = false; pendingSteps = 0; event(trainer.step, "resume")
                case .singleStep where paused && !done:
                    pendingSteps += 1
                case .restart:
                    trainer.restart(parameters: c.experiment.initialParameters)
                    store.clearHistory(solver: index)
                    done = false; samples = 0; rateMark = (store.elapsedSeconds, 0)
                    event(0, "restart")
                case let .set(name, value):
                    let old = trainer.solver.hyper[name]?.description ?? "?"
                    do {
                        try trainer.solver.hyper.set(name, value)
                        store.setHyperparameters(solver: index, trainer.solver.hyper)
                        event(trainer.step, "set", "\(name) \(old) -> \(value)")
                    } catch {
                        event(trainer.step, "rejected", "\(error)")
                    }
                case .computeBoundary(let request):
                    if case .classification(let k) = trainer.data.train.task, trainer.data.train.sampleShape == Shape([2]) {
                        let logits = trainer.predict(request.points)
                        store.setBoundary(solver: index, DecisionBoundary(request: request, logits: logits, classCount: k, step: trainer.step))
                    }
                case .stop:
                    event(trainer.step, "stop")
                    writer?.flush()
                    store.setStatus(solver: index, .stopped)
                    return
                default:
                    break
                }
            }
            if !done { store.setStatus(solver: index, paused && pendingSteps == 0 ? .paused : .running) }
            if done || (paused && pendingSteps == 0) {
                writer?.flush()
                if done && c.exitWhenDone { return }
                _ = wake.wait(timeout: .now() + .milliseconds(500))
                continue
            }
            if pendingSteps > 0 { pendingSteps -= 1 }

            let r = trainer.trainStep()
            TestCrashHook.workerStep()
            samples += r.samples
            var test: (loss: Double, accuracy: Double?)?
            let last = r.step >= total
            if r.wantsEvaluation(every: evalEvery, totalSteps: total) {
                test = trainer.evaluate(trainer.data.test)
            }
            let now = store.elapsedSeconds
            var rate: Double?
            if now - rateMark.time >= 0.25 {
                rate = Double(samples - rateMark.samples) / (now - rateMark.time)
                rateMark = (now, samples)
            }
            let row = StepRow(result: r, solver: trainer.solver, test: test, wallMilliseconds: now * 1000)
            writer?.write(row.csv)
            store.record(solver: index, row: row, samplesPerSecond: rate)
            if let test {
                event(r.step, "eval", "test_loss=\(formatNumber(test.loss))" + (test.accuracy.map { " test_accuracy=\(formatNumber($0))" } ?? ""))
            }
            if r.epochEnded { event(r.step, "epoch_end", "epoch \(r.epoch)") }
            if r.diverged {
                done = true
                store.setStatus(solver: index, .diverged(step: r.step))
                event(r.step, "diverged", "loss=\(formatNumber(r.loss))")
            } else if last {
                done = true
                store.setStatus(solver: index, .finished)
                event(r.step, "finished")
            }
        }
    }
}
