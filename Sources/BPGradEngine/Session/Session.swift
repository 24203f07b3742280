import Foundation

/// Several configurations racing on the same network: same initial weights, same minibatches
/// in the same order, each on its own serial background queue.
///
/// Commands are safe from any thread and take effect between two steps; every one is an
/// event at the step it took effect. Metrics flow out through `store`.
public final class Session: Sendable {
    public struct Options: Sendable {
        /// Workers end when training ends (headless runs); otherwise they wait for commands until `stop()`.
        public var exitWhenDone: Bool
        /// Stop at the preset's length; false trains on until stopped (the dashboard's default).
        public var stopAtLength: Bool
        public var startPaused = false
        /// Each configuration pauses once it has taken this step.
        public var pauseAt: Int?
        public var pauseOnEvaluation = false
        /// Steps per second per configuration; nil is as fast as the machine goes.
        public var speed: Double?
        /// At most this many configurations train at once (sweeps); nil: all of them.
        public var parallel: Int?
        /// The step at which each configuration's smoothed loss first reaches this is recorded.
        public var targetLoss: Double?

        public init(exitWhenDone: Bool, stopAtLength: Bool? = nil) {
            self.exitWhenDone = exitWhenDone
            self.stopAtLength = stopAtLength ?? exitWhenDone
        }

        /// Headless (`compare`, `sweep`): run to the preset's length, then end.
        public static let headless = Options(exitWhenDone: true)
        /// The dashboard: train on past the preset's length until stopped.
        public static let live = Options(exitWhenDone: false, stopAtLength: false)
    }

    public let experiment: Experiment
    public let store: MetricsStore
    public let runDirectory: RunDirectory?
    public let options: Options
    private let workers: Locked<[ConfigurationWorker]>
    private let group = DispatchGroup()
    private let flushStop = DispatchSemaphore(value: 0)
    private let started = Locked(false)
    private let finished = Locked(false)
    /// Workers not started yet because `options.parallel` are training; each one that ends starts the next.
    private let queued = Locked<[ConfigurationWorker]>([])
    /// Forks asked for and not yet adopted (they count against the limit and the memory budget
    /// from the moment they are asked for), and whether `stop()` has begun: a fork handed over
    /// after that is dropped rather than started where no stop would reach it. Taken before
    /// `workers` when both are needed.
    private let forking = Locked(ForkState())

    private struct ForkState {
        var pending = 0
        var stopping = false
    }

    public init(experiment: Experiment, configurations: [Configuration], runDirectory: RunDirectory?, options: Options) throws(EngineError) {
        guard !configurations.isEmpty else { throw .invalidValue(field: "--solvers", message: "name at least one configuration") }
        let limit = options.parallel == nil ? Configuration.limit : SweepGrid.limit
        guard configurations.count <= limit else {
            throw .invalidValue(field: "--solvers", message: "\(configurations.count) configurations; a session runs at most \(limit)")
        }
        let names = configurations.map(\.name)
        guard Set(names).count == names.count else {
            throw .invalidValue(field: "--solvers", message: "configuration names must be unique, got \(names.joined(separator: ", "))")
        }
        // Every configuration training at once has its own trainer: check they fit together.
        try experiment.checkMemory(trainers: options.parallel.map { min(max(1, $0), configurations.count) } ?? configurations.count)
        self.experiment = experiment
        self.runDirectory = runDirectory
        self.options = options
        store = MetricsStore(configurations: configurations, totalSteps: experiment.totalSteps, targetLoss: options.targetLoss)

        let origin = ConfigurationWorker.Origin(paused: options.startPaused, speed: options.speed, stopAtLength: options.stopAtLength,
                                                pauseOnEvaluation: options.pauseOnEvaluation)
        workers = Locked(configurations.enumerated().map { ConfigurationWorker(index: $0.offset, configuration: $0.element, origin: origin) })
    }

    private var context: ConfigurationWorker.Context {
        .init(experiment: experiment, store: store, runDirectory: runDirectory, exitWhenDone: options.exitWhenDone, pauseAt: options.pauseAt)
    }

    /// The configurations as they are now (hyperparameters in force), forks included.
    public var configurations: [Configuration] { store.snapshot().configurations.map(\.configuration) }

    /// Starts every worker, and the run directory's flush (once a second) and command polling.
    public func start() {
        guard started.withLock({ s in defer { s = true }; return !s }) else { return }
        // One GEMM thread per configuration: they run in parallel on the cores, and a run gives
        // the same numbers whether one configuration trains or six (summation order is fixed).
        GEMM.threads = 1
        let all = workers.withLock { $0 }
        let now = options.parallel.map { min(max(1, $0), all.count) } ?? all.count
        queued.withLock { $0 = Array(all.dropFirst(now)) }
        for w in all.dropFirst(now) { store.setStatus(w.index, .queued) }
        // Every queued worker is in the group from the start, so `wait` covers the whole sweep.
        for _ in all.dropFirst(now) { group.enter() }
        for w in all.prefix(now) { launch(w) }
        if let runDirectory {
            let stop = flushStop
            Thread.detachNewThread { [self] in
                var ticks = 0
                while stop.wait(timeout: .now() + .milliseconds(250)) == .timedOut {
                    pollCommands(runDirectory)
                    ticks += 1
                    if ticks % 4 == 0 { flush(runDirectory, state: .running) }
                }
            }
        }
    }

    private func launch(_ w: ConfigurationWorker, entered: Bool = false) {
        if !entered { group.enter() }
        w.start(context) { [self] in
            if let next = queued.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { launch(next, entered: true) }
            group.leave()
        }
    }

    /// Sends a command to one configuration (by index) or to all of them. A stop also drops
    /// the configurations still queued.
    public func send(_ command: SessionCommand, to index: Int? = nil) {
        if command == .stop, index == nil {
            // Every fork adopted before this line is in `workers` below and gets the stop;
            // every later one sees `stopping` and is dropped.
            forking.withLock { $0.stopping = true }
            for w in queued.withLock({ q in defer { q.removeAll() }; return q }) {
                store.setStatus(w.index, .stopped)
                group.leave()
            }
        }
        let all = workers.withLock { $0 }
        if let index {
            guard all.indices.contains(index) else { return }
            all[index].send(command)
        } else {
            for w in all { w.send(command) }
        }
    }

    /// Forks configuration `index` at its next step boundary: a new configuration with a copy
    /// of its weights, solver state and place in the minibatch stream, which continues exactly
    /// as the parent would until one of them is changed. Throws why it cannot.
    public func requestFork(_ index: Int, label: String? = nil) throws(ForkRefusal) {
        // The count includes the forks in flight, read under the same lock that adopts them.
        let reserved = forking.withLock { f -> Result<(parent: ConfigurationWorker, trainers: Int), ForkRefusal> in
            let all = workers.withLock { $0 }
            guard !f.stopping else { return .failure(.stopping) }
            guard all.indices.contains(index) else { return .failure(.noSuchConfiguration(index)) }
            guard all.count + f.pending < Configuration.limit else { return .failure(.limit) }
            f.pending += 1
            return .success((all[index], all.count + f.pending))
        }
        let (parent, trainers) = try reserved.get()
        do { try experiment.checkMemory(trainers: trainers) } catch {
            forking.withLock { $0.pending -= 1 }
            throw .memory(error)
        }
        parent.fork { [self] twin in adopt(twin, parent: index, label: label) }
    }

    /// `requestFork`, true when the fork was asked for.
    @discardableResult
    public func fork(_ index: Int, label: String? = nil) -> Bool {
        do { try requestFork(index, label: label); return true } catch { return false }
    }

    /// Takes a twin its parent handed over (nil: the parent could not fork, or ended first).
    private func adopt(_ twin: ForkedTrainer?, parent index: Int, label: String?) {
        guard let twin else { forking.withLock { $0.pending -= 1 }; return }
        let step = twin.trainer.step
        // Named, written to run.json and added under the one lock that adopts forks, so two
        // forks adopted at once on their parents' queues never pick the same name.
        let adopted = forking.withLock { f -> ConfigurationWorker? in
            f.pending -= 1
            guard !f.stopping else { return nil }
            let snapshot = store.snapshot()
            let parent = snapshot.configurations[index].configuration
            var c = parent
            c.hyperparameters = twin.trainer.solver.hyper
            c.label = ConfigurationList.unique(label ?? "\(parent.label) fork@\(step)", among: snapshot.configurations.map(\.label), separator: " #")
            c.name = ConfigurationList.unique(ConfigurationList.fileSafe("\(parent.name)-fork\(step)", kind: parent.kind),
                                              among: snapshot.configurations.map(\.name))
            c.parent = parent.name
            c.forkStep = step
            // A fork its run directory cannot take (run.json not written, a name refused) is
            // not started: it would fail at its first row.
            do { try runDirectory?.add(c) } catch {
                store.alert("fork of \(parent.label) refused: \(error)")
                return nil
            }
            var metrics = ConfigurationMetrics(configuration: c, totalSteps: experiment.totalSteps, startStep: step,
                                               startSeconds: twin.trainingSeconds, targetLoss: options.targetLoss)
            metrics.status = twin.paused ? .paused : .running
            let origin = ConfigurationWorker.Origin(step: step, trainingSeconds: twin.trainingSeconds, paused: twin.paused, speed: twin.speed,
                                                    stopAtLength: twin.stopAtLength, pauseOnEvaluation: twin.pauseOnEvaluation, parent: parent.name)
            let w = workers.withLock { all -> ConfigurationWorker in
                let w = ConfigurationWorker(index: store.add(metrics), configuration: c, origin: origin, trainer: twin.trainer)
                all.append(w)
                return w
            }
            // In the group before `stopping` can be set, so `wait()` waits for it too.
            group.enter()
            return w
        }
        guard let worker = adopted else { return }
        launch(worker, entered: true)
    }

    private func pollCommands(_ dir: RunDirectory) {
        // The run directory reads, routes and records what it refused (one event per command);
        // here those events reach the store and the commands their workers.
        for outcome in dir.pollCommands(store.snapshot()) {
            switch outcome {
            case let .event(e): store.add(e)
            case let .send(command, index): send(command, to: index)
            }
        }
    }

    private func flush(_ dir: RunDirectory, state: RunSummary.State) {
        do { try dir.flush(store.snapshot(), state: state) } catch { store.alert(error.description) }
    }

    /// Waits until every worker has ended; false on timeout.
    @discardableResult
    public func wait(timeout: DispatchTime = .distantFuture) -> Bool {
        group.wait(timeout: timeout) == .success
    }

    /// Stops every worker, waits for them and writes the final summary.
    public func stop() {
        send(.stop)
        wait()
        finish()
    }

    /// Writes the run directory's final state; call after the workers have ended.
    public func finish(restartedIn successor: String? = nil) {
        guard finished.withLock({ f in defer { f = true }; return !f }) else { return }
        flushStop.signal()
        guard let runDirectory else { return }
        if let successor {
            let e = SessionEvent(step: 0, wallMilliseconds: store.snapshot().elapsedSeconds * 1000, solver: "", kind: .restart,
                                 detail: EventDetail.continues(in: successor))
            store.add(e); runDirectory.record(e)
        }
        let all = store.snapshot().configurations
        let state: RunSummary.State = all.allSatisfy({
            switch $0.status { case .finished, .diverged: true; default: false }
        }) ? .finished : .stopped
        flush(runDirectory, state: state)
    }

    /// A new session from the same weights and data with every configuration at the settings
    /// in force now (forks included, from the initial weights), writing to `runDirectory`.
    public func successor(runDirectory: RunDirectory?, options: Options? = nil) throws(EngineError) -> Session {
        try Session(experiment: experiment, configurations: configurations.map { c in
            var fresh = c
            fresh.parent = nil; fresh.forkStep = nil
            return fresh
        }, runDirectory: runDirectory, options: options ?? self.options)
    }
}
