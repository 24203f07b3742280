import Foundation

/// Several solvers racing on the same network: same initial weights, same minibatches in
/// the same order, each on its own serial background queue.
///
/// Commands are safe from any thread and take effect between two steps; every one is an
/// event at the step it took effect. Metrics flow out through `store`.
public final class Session: Sendable {
    public let experiment: Experiment
    public let solvers: [SolverSpec]
    public let store: MetricsStore
    public let runDirectory: RunDirectory?
    private let workers: [SolverWorker]
    private let group = DispatchGroup()
    private let flushStop = DispatchSemaphore(value: 0)
    private let started = Locked(false)
    private let exitWhenDone: Bool
    private let startPaused: Bool

    /// - Parameters:
    ///   - exitWhenDone: workers end when training ends (headless runs); otherwise they wait
    ///     for a restart until `stop()`.
    public init(experiment: Experiment, solvers: [SolverSpec], runDirectory: RunDirectory?,
                exitWhenDone: Bool, startPaused: Bool = false) throws(EngineError) {
        guard !solvers.isEmpty else { throw .invalidValue(field: "--solvers", message: "name at least one solver") }
        let kinds = solvers.map(\.kind)
        if let dup = kinds.first(where: { k in kinds.filter { $0 == k }.count > 1 }) {
            throw .invalidValue(field: "--solvers", message: "'\(dup)' is listed twice; each solver can run once per session")
        }
        self.experiment = experiment
        self.solvers = solvers
        self.runDirectory = runDirectory
        self.exitWhenDone = exitWhenDone
        self.startPaused = startPaused
        store = MetricsStore(solvers: solvers, totalSteps: experiment.totalSteps)
        workers = solvers.enumerated().map { SolverWorker(index: $0.offset, spec: $0.element) }
    }

    /// Starts every worker, and the once-a-second flush of the run directory.
    public func start() {
        guard started.withLock({ s in defer { s = true }; return !s }) else { return }
        // One BLAS thread per solver: solvers run in parallel on the cores, and a run gives
        // the same numbers whether one solver trains or six (summation order is fixed).
        setBLASThreads(1)
        let context = SolverWorker.SessionContext(experiment: experiment, store: store, runDirectory: runDirectory,
                                                  exitWhenDone: exitWhenDone, startPaused: startPaused)
        for w in workers {
            group.enter()
            w.start(context) { [group] in group.leave() }
        }
        if let runDirectory {
            let store = store, stop = flushStop
            Thread.detachNewThread {
                while stop.wait(timeout: .now() + .seconds(1)) == .timedOut { runDirectory.flush(store.snapshot()) }
                runDirectory.flush(store.snapshot())
            }
        }
    }

    /// Sends a command to one solver (by index) or to all of them.
    public func send(_ command: SessionCommand, to solver: Int? = nil) {
        if let solver {
            guard workers.indices.contains(solver) else { return }
            workers[solver].send(command)
        } else {
            for w in workers { w.send(command) }
        }
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
    public func finish() {
        flushStop.signal()
        runDirectory?.flush(store.snapshot())
    }
}
