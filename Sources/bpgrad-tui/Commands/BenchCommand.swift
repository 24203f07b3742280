import ArgumentParser
import BPGradEngine
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the training step (forward, backward, update) and print samples/s, ms/step and GFLOP/s."
    )

    @Option(name: .long, help: "A preset name or path.")
    var preset = "fashion-mnist-mlp"

    @Option(name: .long, parsing: .unconditional, help: "Timed steps after the warm-up, per round.")
    var steps = 200

    @Option(name: .long, parsing: .unconditional, help: "Rounds: the step and its matrix products alone take turns; the best round of each is reported.")
    var rounds = 3

    @Option(name: .long, parsing: .unconditional, help: "Threads for each matrix product (oneDNN).")
    var threads = 1

    @Option(name: .long, help: "The solver to time.")
    var solver = "sgd"

    @Option(name: .customLong("set"), parsing: .singleValue, help: "Override a preset field (key=value).")
    var overrides: [String] = []

    @OptionGroup var presetSearch: PresetSearchOptions

    @Flag(name: .long, help: "Measure the dashboard instead: frame time at 200x60 and its cost to training throughput (BPGrad and Adam racing).")
    var dashboard = false

    @Option(name: .customLong("read-run"), help: "Time reading this run directory instead: the reader alone, into the dashboard's store, and plot.")
    var readRun: String?

    @Option(name: .customLong("write-rows"), parsing: .unconditional, help: "With --read-run: first write a synthetic run of this many rows there (the directory must not exist).")
    var writeRows: Int?

    @Flag(name: .long, help: "Measure every solver's update alone on the preset's parameter count, beside the memory bandwidth (streaming copy and triad).")
    var solvers = false

    @Option(name: .long, parsing: .unconditional, help: "Also train this many copies at once, one thread each, and compare their total samples/s with one (0: don't).")
    var parallel = 0

    func validate() throws {
        guard (1...TrainingSpec.maxSteps).contains(steps) else {
            throw ValidationError("--steps must be between 1 and \(TrainingSpec.maxSteps), got \(steps)")
        }
        if rounds < 1 { throw ValidationError("--rounds must be at least 1, got \(rounds)") }
        guard (1...maxThreads).contains(threads) else {
            throw ValidationError("--threads must be between 1 and \(maxThreads) (this machine's processors), got \(threads)")
        }
        if parallel < 0 || parallel == 1 { throw ValidationError("--parallel must be 0 or at least 2, got \(parallel)") }
    }

    func run() throws {
        if let readRun {
            if let writeRows { try RunReadBenchmark.writeSyntheticRun(readRun, rows: writeRows) }
            return try RunReadBenchmark(directory: readRun).run()
        }
        let loaded = try presetSearch.library.load(preset, overrides: overrides)
        if dashboard { return try benchDashboard(loaded) }
        GEMM.threads = threads
        let setup = try Experiment(preset: loaded)
        if solvers { return try benchSolvers(setup) }
        let trainer = try setup.makeTrainer(loaded.configuration(solver))
        let batch = loaded.training.batchSize
        let warmup = min(20, steps)
        for _ in 0..<warmup { _ = trainer.trainStep() }
        // The products one step asks for, to time them alone on buffers of the same shapes.
        let replay = KernelBenchmark.GEMMReplay(calls: GEMM.record { _ = trainer.trainStep() })
        for _ in 0..<warmup { replay.run() }
        var best: KernelBenchmark.Clock?, bestGEMM: KernelBenchmark.Clock?, samples = 0
        for _ in 0..<rounds {
            let s = KernelBenchmark.time(repeats: steps) { samples = trainer.trainStep().samples }
            let g = KernelBenchmark.time(repeats: steps) { replay.run() }
            if best == nil || s.wall < best!.wall { best = s }
            if bestGEMM == nil || g.wall < bestGEMM!.wall { bestGEMM = g }
        }
        let step = best!, gemmOnly = bestGEMM!
        // One more round, timed phase by phase (outside the best-of rounds: the clock reads cost
        // a little).
        GEMM.timing = true
        trainer.phases = StepPhases()
        for _ in 0..<steps { _ = trainer.trainStep() }
        let phases = trainer.phases!
        trainer.phases = nil
        GEMM.timing = false
        // A training step costs about three forward passes: forward, and two products in backward.
        let flops = 3.0 * 2.0 * Double(trainer.network.forwardMACs) * Double(samples)
        print("preset       \(loaded.name) (batch \(batch), \(setup.parameterCount) parameters, \(threads) thread\(threads == 1 ? "" : "s"))")
        print("solver       \(solver)")
        print("gemm         \(GEMM.library)")
        print("steps        \(steps) timed per round after \(warmup) warm-up, best of \(rounds) rounds")
        print(String(format: "samples/s    %.0f", Double(samples) / step.wall))
        print(String(format: "ms/step      %.3f   (thread CPU %.3f)", step.wall * 1000, step.cpu * 1000))
        print(String(format: "GFLOP/s      %.2f", flops / step.wall / 1e9))
        print(String(format: "gemm-only    %.3f ms/step   (%d products, %.2f GFLOP/s; thread CPU %.3f)",
                     gemmOnly.wall * 1000, replay.calls.count, replay.flops / gemmOnly.wall / 1e9, gemmOnly.cpu * 1000))
        print(String(format: "step/gemm    %.3f", step.wall / gemmOnly.wall))
        let convolutions = trainer.network.layers.contains { $0 is Conv2D }
        print(phaseText(phases, convolutions: convolutions))
        if convolutions {
            print("             (gemm-only covers the matrix products; convolutions run as oneDNN primitives and are not in it)")
        }
        if parallel > 0 { try benchParallel(setup, loaded, copies: parallel) }
    }

    /// The step's time by phase, and how much of it is not matrix products (convolutions
    /// included: they are oneDNN primitives, not products).
    private func phaseText(_ phases: StepPhases, convolutions: Bool) -> String {
        let parts = StepPhases.Phase.allCases.map { "\($0.name) " + String(format: "%.1f", phases.microseconds($0)) }
        let total = StepPhases.Phase.allCases.reduce(0) { $0 + phases.microseconds($1) }
        let products = phases.gemmMicroseconds, rest = total - products
        var text = "phases       " + parts.joined(separator: "  ") + " us/step (one more round, timed by phase)"
        if products > 0 {
            let rest = (convolutions ? " (convolutions included)" : "")
                + String(format: " %.1f us (%.1f%% of the products)", rest, 100 * rest / products)
            text += String(format: "\n             products %.1f us of forward and backward; everything else", products) + rest
        }
        return text
    }

    /// Each solver's update alone on the network's parameter count, beside streaming memory
    /// kernels at the same size and at 64 MB per array (main memory).

    private func benchSolvers(_ setup: Experiment) throws {
        let n = setup.parameterCount
        // Fewer than 50 updates per round time mostly the clock.
        let repeats = max(steps, 50)
        let small = KernelBenchmark.Stream(count: n), large = KernelBenchmark.Stream(count: 16 << 20)
        var copy = Double.infinity, triad = Double.infinity, bigTriad = Double.infinity
        for _ in 0..<rounds {
            copy = min(copy, KernelBenchmark.time(repeats: repeats) { small.copy() }.wall)
            triad = min(triad, KernelBenchmark.time(repeats: repeats) { small.triad() }.wall)
            bigTriad = min(bigTriad, KernelBenchmark.time(repeats: 5) { large.triad() }.wall)
        }
        let cacheBW = small.triadBytes / triad / 1e9, memoryBW = large.triadBytes / bigTriad / 1e9
        print("solver updates on \(n) parameters with \(setup.preset.name)'s settings, best of \(rounds) round\(rounds == 1 ? "" : "s") of \(repeats) updates\(repeats > steps ? " (--steps \(steps) raised to 50)" : "")")
        print(String(format: "copy  %8d floats  %8.1f us  %6.1f GB/s", n, copy * 1e6, small.copyBytes / copy / 1e9))
        print(String(format: "triad %8d floats  %8.1f us  %6.1f GB/s   (same size as the solver's buffers)", n, triad * 1e6, cacheBW))
        print(String(format: "triad %8d floats  %8.1f us  %6.1f GB/s   (64 MB arrays: main memory)", large.count, bigTriad * 1e6, memoryBW))
        print("solver       us/update   bytes/param   GB/s   vs triad same size   vs main memory")
        let p = FloatBuffer(count: n), g = FloatBuffer(count: n)
        var rng = SeededGenerator(seed: 3, stream: 9)
        for descriptor in SolverRegistry.all {
            for i in 0..<n { p[i] = Float(rng.uniform(-0.1, 0.1)) }
            // With the preset's settings for it (SGD's momentum adds a state vector): what trains.
            let solver = try setup.preset.configuration(descriptor.kind.rawValue).makeSolver()
            let context = StepContext(loss: 1, epoch: 1, epochStart: false)
            var best = Double.infinity
            for _ in 0..<rounds {
                let t = KernelBenchmark.time(repeats: repeats) {
                    // A fresh gradient each time would time the refill; the update reads it either way.
                    for i in stride(from: 0, to: n, by: 4099) { g[i] = Float(i % 13) * 1e-3 }
                    _ = solver.step(parameters: p.pointer, gradients: g.pointer, count: n, context: context)
                }
                best = min(best, t.wall)
            }
            let bytes = Double(solver.bytesPerParameter) * Double(n)
            let bw = bytes / best / 1e9
            print(descriptor.kind.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                  + String(format: " %11.1f %13d %6.1f %20.2f %16.2f", best * 1e6, solver.bytesPerParameter, bw,
                           bw / cacheBW, bw / memoryBW))
        }
    }

    /// Samples/s of one trainer against `copies` trainers at once, one thread each (as a
    /// session runs its solvers), alternating; the best of `rounds` rounds of each.
    private func benchParallel(_ setup: Experiment, _ loaded: Preset, copies: Int) throws {
        let configuration = try loaded.configuration(solver)
        let trainers = try (0..<copies).map { _ in TrainerBox(trainer: try setup.makeTrainer(configuration)) }
        func race(_ count: Int) -> Double {
            let group = DispatchGroup(), counted = Locked(0)
            let start = DispatchTime.now().uptimeNanoseconds
            for t in trainers.prefix(count) {
                group.enter()
                Thread.detachNewThread {
                    GEMM.threads = 1
                    var s = 0
                    for _ in 0..<steps { s += t.trainer.trainStep().samples }
                    counted.withLock { $0 += s }
                    group.leave()
                }
            }
            group.wait()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            return Double(counted.withLock { $0 }) / seconds
        }
        _ = race(copies)
        var one = 0.0, many = 0.0
        for _ in 0..<rounds { one = max(one, race(1)); many = max(many, race(copies)) }
        print(String(format: "parallel     1 trainer %.0f samples/s, %d at once %.0f samples/s in all: %.2fx",
                     one, copies, many, many / one))
    }

    private func benchDashboard(_ loaded: Preset) throws {
        let limited = try PresetLibrary.load(loaded.location, overrides: overrides + ["training.steps=\(steps)"])
        let r = try DashboardBenchmark(preset: limited, steps: steps).run()
        print("preset                 \(limited.name), BPGrad and Adam, \(steps) steps each")
        print(String(format: "frame 200x60           %.3f ms mean, %.3f ms max over 100 renders of a finished run", r.frameMeanMs, r.frameMaxMs))
        print(String(format: "frame 200x60, live     %.3f ms mean, %.3f ms max over %d frames while both solvers train", r.liveMeanMs, r.liveMaxMs, r.liveFrames))
        print(String(format: "headless               %.0f samples/s (median of 3, alternating)", r.headlessSamplesPerSecond))
        print(String(format: "with 20 fps renderer   %.0f samples/s (median of 3)", r.dashboardSamplesPerSecond))
        print(String(format: "dashboard cost         %.2f%% of throughput", 100 * (1 - r.dashboardSamplesPerSecond / r.headlessSamplesPerSecond)))
    }
}

/// A trainer handed to one benchmark thread at a time: each race starts its threads after the
/// last one's have all finished (`DispatchGroup.wait`), so no trainer is ever used by two.
private final class TrainerBox: @unchecked Sendable {
    let trainer: Trainer
    init(trainer: Trainer) { self.trainer = trainer }
}
