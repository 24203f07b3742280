import Foundation

/// One configuration's training loop on its own serial Dispatch queue.
///
/// The trainer (network, solver state, buffers) lives on that queue; the outside world talks
/// to the worker only through its command inbox and reads what it publishes in the store.
/// A fork's trainer is built on the parent's queue and handed over before this one starts.
final class ConfigurationWorker: Sendable {
    let index: Int
    let configuration: Configuration
    private let queue: DispatchQueue
    private let inbox = Locked<[SessionCommand]>([])
    private let wake = DispatchSemaphore(value: 0)
    /// A fork's trainer, taken by the worker when it starts; nil for a fresh configuration.
    private let handoff: Locked<Trainer?>
    private let origin: Origin

    /// Where a worker's trainer and clocks start.
    struct Origin: Sendable {
        var step = 0
        var trainingSeconds = 0.0
        var paused: Bool
        var speed: Double?
        var stopAtLength: Bool
        var pauseOnEvaluation: Bool
        /// For a fork: the parent's name.
        var parent: String?
    }

    init(index: Int, configuration: Configuration, origin: Origin, trainer: sending Trainer? = nil) {
        self.index = index
        self.configuration = configuration
        self.origin = origin
        handoff = Locked(trainer)
        queue = DispatchQueue(label: "bpgrad.configuration.\(index).\(configuration.name)", qos: .userInitiated)
    }

    func send(_ command: SessionCommand) {
        inbox.withLock { $0.append(command) }
        wake.signal()
    }

    /// Asks for a fork at the next step boundary: `adopt` receives an independent twin of
    /// this configuration's trainer, with its clocks, or nil when the fork failed or this
    /// configuration ended before its next step boundary (every request is answered once).
    func fork(_ adopt: @escaping @Sendable (ForkedTrainer?) -> Void) {
        let accepted = forkRequests.withLock { r in
            if r.closed { return false }
            r.waiting.append(adopt)
            return true
        }
        if accepted { wake.signal() } else { adopt(nil) }
    }

    private let forkRequests = Locked(ForkRequests())

    private struct ForkRequests {
        var waiting: [@Sendable (ForkedTrainer?) -> Void] = []
        /// The loop has ended: later requests are answered nil at once.
        var closed = false
    }

    func start(_ context: Context, done: @escaping @Sendable () -> Void) {
        queue.async { [self] in
            run(context)
            for adopt in forkRequests.withLock({ r in defer { r.waiting.removeAll(); r.closed = true }; return r.waiting }) { adopt(nil) }
            done()
        }
    }

    /// Everything the loop needs, all of it Sendable.
    struct Context: Sendable {
        var experiment: Experiment
        var store: MetricsStore
        var runDirectory: RunDirectory?
        /// Exit when training ends (headless runs), or wait for more (dashboard).
        var exitWhenDone: Bool
        /// Pause when this step has been taken.
        var pauseAt: Int?
    }

    private func run(_ c: Context) {
        let name = configuration.name, store = c.store
        var clock = TrainingClock(start: origin.trainingSeconds)
        var trainerStep = origin.step
        func event(_ kind: EventKind, _ detail: String = "", change: HyperChange? = nil) {
            let e = SessionEvent(step: trainerStep, wallMilliseconds: clock.seconds * 1000, solver: name, kind: kind, detail: detail, change: change)
            store.add(e)
            c.runDirectory?.record(e)
        }
        func fail(_ error: EngineError) {
            event(.error, error.description)
            store.setStatus(index, .error(error.description))
            store.alert("\(configuration.label): \(error.description)")
        }
        let trainer: Trainer
        if let handed = handoff.withLock({ $0.take() }) {
            trainer = handed
        } else {
            do { trainer = try c.experiment.makeTrainer(configuration) } catch { return fail(error) }
        }
        var writer: LineWriter?
        do { writer = try c.runDirectory.map { dir throws(EngineError) in try dir.stepWriter(name) } } catch { return fail(error) }

        let total = c.experiment.totalSteps, evalEvery = c.experiment.preset.training.evalEvery
        var paused = origin.paused, done = false, pendingSteps = 0
        var speed = origin.speed, stopAtLength = origin.stopAtLength, pauseOnEvaluation = origin.pauseOnEvaluation
        var lengthNoted = trainer.step >= total
        // Finished because it reached the preset's length with stopping there on: turning the
        // stop off again (`t`) takes it back, unlike a divergence.
        var finishedAtLength = false
        var nextStepTime: UInt64 = 0
        if let parent = origin.parent { event(.fork, "from \(parent) at step \(trainer.step)") }
        event(.start, trainer.solver.hyper.listing)
        if stopAtLength, trainer.step >= total {
            // A fork of a configuration that stopped at the length stops there too.
            done = true; finishedAtLength = true; store.setStatus(index, .finished); event(.finished)
        }

        func apply(_ key: HyperKey, _ requested: HyperValue, origin id: String?) {
            let suffix = EventDetail.commandSuffix(id)
            let hyper = trainer.solver.hyper
            guard let info = try? hyper.schema.info(key), let old = hyper[key] else {
                return event(.rejected, "\(key) \(requested): \(configuration.kind) has no such hyperparameter; it has \(hyper.schema.keys.map(\.rawValue).joined(separator: ", "))\(suffix)")
            }
            var value = requested
            // A number or flag that arrived as text (commands.jsonl strings) is parsed as typed.
            if case .choice(let text) = requested, !info.isChoice {
                do { value = try info.parse(text, solver: name) } catch {
                    return event(.rejected, "\(key) \(text): \(error.message)\(suffix)")
                }
            }
            guard value != old else { return }
            do {
                let note = try trainer.solver.set(key, value)
                store.setHyperparameters(index, trainer.solver.hyper)
                event(.set, "\(key) \(old) -> \(value)" + (note.map { "; \($0)" } ?? "") + suffix,
                      change: HyperChange(key: key, old: old, new: value))
            } catch {
                event(.rejected, "\(key) \(value): \(error.message)\(suffix)")
            }
        }

        while true {
            let commands = inbox.withLock { box in defer { box.removeAll() }; return box }
            for command in commands {
                switch command {
                case .pause where !paused:
                    paused = true; event(.pause)
                case .resume where paused:
                    paused = false; pendingSteps = 0; event(.resume)
                case let .pauseCommand(pause, id) where pause != paused:
                    paused = pause
                    if !pause { pendingSteps = 0 }
                    event(pause ? .pause : .resume, EventDetail.commandNote(id))
                case .singleStep where paused && !done:
                    pendingSteps += 1
                case let .set(key, value, id):
                    apply(key, value, origin: id)
                case let .setText(key, text):
                    do { apply(key, try trainer.solver.hyper.schema.info(key).parse(text, solver: name), origin: nil) } catch {
                        event(.rejected, "\(key) \(text): \(error.message)")
                    }
                case let .nudge(key, up):
                    let hyper = trainer.solver.hyper
                    if let info = try? hyper.schema.info(key), let current = hyper[key], let next = info.nudged(current, up: up) {
                        apply(key, next, origin: nil)
                    }
                case .limitSpeed(let s):
                    speed = s; nextStepTime = 0
                case .stopAtLength(let on):
                    stopAtLength = on
                    if on, !done, trainer.step >= total {
                        done = true; finishedAtLength = true; store.setStatus(index, .finished); event(.finished)
                    } else if !on, finishedAtLength, !c.exitWhenDone {
                        done = false; finishedAtLength = false
                        event(.resume, "stopping at the preset's length turned off; training goes on")
                    }
                case .pauseOnEvaluation(let on):
                    pauseOnEvaluation = on
                case let .reject(why, id):
                    event(.rejected, why + EventDetail.commandSuffix(id))
                case .computeBoundary(let request):
                    if case .classification(let k) = trainer.data.train.task, trainer.data.train.sampleShape == Shape([2]) {
                        let logits = trainer.predict(request.points)
                        store.setBoundary(index, DecisionBoundary(request: request, logits: logits, classCount: k, step: trainer.step))
                    }
                case .stop:
                    clock.hold()
                    event(.stop)
                    writer?.flush()
                    if !done { store.setStatus(index, .stopped) }
                    return
                default:
                    break
                }
            }
            let forks = forkRequests.withLock { r in defer { r.waiting.removeAll() }; return r.waiting }
            for adopt in forks {
                do {
                    let twin = try trainer.fork()
                    adopt(ForkedTrainer(trainer: twin, trainingSeconds: clock.seconds, paused: paused, speed: speed,
                                        stopAtLength: stopAtLength, pauseOnEvaluation: pauseOnEvaluation))
                } catch {
                    store.alert("fork of \(configuration.label) failed: \(error.description)")
                    adopt(nil)
                }
            }
            let active = !done && (!paused || pendingSteps > 0)
            if !done { store.setStatus(index, active ? .running : .paused) }
            guard active else {
                clock.hold()
                writer?.flush()
                if done && c.exitWhenDone { return }
                _ = wake.wait(timeout: .now() + .milliseconds(500))
                continue
            }
            clock.run()
            if let speed, speed > 0 {
                // Wait for the next slot on the semaphore: no CPU while waiting, and a command
                // (a key press) wakes the loop at once.
                let now = DispatchTime.now().uptimeNanoseconds
                if now < nextStepTime {
                    _ = wake.wait(timeout: DispatchTime(uptimeNanoseconds: nextStepTime))
                    continue
                }
                // At most 1,000 s between steps, so the wait stays a representable number of
                // nanoseconds whatever cap arrives.
                nextStepTime = max(now, nextStepTime) + UInt64(min(1e9 / speed, 1e12))
            }
            if pendingSteps > 0 { pendingSteps -= 1 }

            let r = trainer.trainStep()
            TestCrashHook.workerStep()
            trainerStep = r.step
            var test: Evaluation?
            if r.wantsEvaluation(every: evalEvery, totalSteps: total) {
                test = trainer.evaluate(trainer.data.test)
            }
            let record = StepRecord(result: r, test: test, wallMilliseconds: clock.seconds * 1000)
            writer?.write(StepCSV.line(record, name: name))
            store.record(index, record)
            if let failure = writer?.failure {
                // The disk is full or the file went away: say so once. A headless run stops
                // this configuration (its log is its result); on the dashboard the user still
                // watches it, so training goes on, unlogged.
                writer = nil
                if c.exitWhenDone { return fail(failure) }
                event(.error, "\(failure.description); training goes on without a step log")
                store.alert("\(configuration.label): \(failure.description); training goes on without a step log")
            }
            if let test {
                event(.eval, "test_loss=\(NumberText.short(test.loss))" + (test.accuracy.map { " test_accuracy=\(NumberText.short($0))" } ?? ""))
            }
            if r.epochEnded { event(.epochEnd, "epoch \(r.epoch)") }
            if r.diverged {
                done = true
                store.setStatus(index, .diverged(step: r.step))
                event(.diverged, "loss=\(NumberText.short(r.loss))")
            } else if r.step >= total, !lengthNoted {
                lengthNoted = true
                if stopAtLength {
                    done = true
                    finishedAtLength = true
                    store.setStatus(index, .finished)
                    event(.finished)
                } else {
                    event(.lengthReached, "step \(total) of the preset; training goes on until stopped")
                }
            }
            if !done, r.step == c.pauseAt || (pauseOnEvaluation && test != nil) {
                paused = true
                pendingSteps = 0
                event(.pause, r.step == c.pauseAt ? "at step \(r.step) (--pause-at)" : "after the evaluation")
            }
        }
    }
}
