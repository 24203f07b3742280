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

    @Option(name: .long, help: "Timed steps after the warm-up.")
    var steps = 200

    @Option(name: .long, help: "OpenBLAS threads.")
    var threads = 1

    @Option(name: .long, help: "The solver to time.")
    var solver = "sgd"

    @Option(name: .customLong("set"), parsing: .singleValue, help: "Override a preset field (key=value).")
    var overrides: [String] = []

    @Flag(name: .long, help: "Measure the dashboard instead: frame time at 200x60 and its cost to training throughput (BPGrad and Adam racing).")
    var dashboard = false

    func validate() throws {
        guard (1...TrainingSpec.maxSteps).contains(steps) else {
            throw ValidationError("--steps must be between 1 and \(TrainingSpec.maxSteps), got \(steps)")
        }
        guard (1...maxThreads).contains(threads) else {
            throw ValidationError("--threads must be between 1 and \(maxThreads) (this machine's processors), got \(threads)")
        }
    }

    func run() throws {
        let loaded = try PresetLibrary.standard().load(preset, overrides: overrides)
        if dashboard { return try benchDashboard(loaded) }
        setBLASThreads(threads)
        let setup = try Experiment(preset: loaded)
        let trainer = try setup.makeTrainer(solver: loaded.solver(solver))
        let batch = loaded.training.batchSize
        let warmup = min(20, steps)
        for _ in 0..<warmup { _ = trainer.trainStep() }
        var samples = 0
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<steps { samples += trainer.trainStep().samples }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        // A training step costs about three forward passes: forward, and two products in backward.
        let flops = 3.0 * 2.0 * Double(trainer.network.forwardMACs) * Double(samples)
        print("preset       \(loaded.name) (batch \(batch), \(setup.parameterCount) parameters, \(threads) thread\(threads == 1 ? "" : "s"))")
        print("solver       \(solver)")
        print("blas core    \(BLASKernel.coreName)")
        print("steps        \(steps) timed after \(warmup) warm-up")
        print(String(format: "samples/s    %.0f", Double(samples) / seconds))
        print(String(format: "ms/step      %.3f", seconds * 1000 / Double(steps)))
        print(String(format: "GFLOP/s      %.2f", flops / seconds / 1e9))
    }

    private func benchDashboard(_ loaded: Preset) throws {
        let limited = try PresetLibrary.load(path: loaded.source, overrides: overrides + ["training.steps=\(steps)"])
        let r = try DashboardBenchmark(preset: limited, steps: steps).run()
        print("preset                 \(limited.name), BPGrad and Adam, \(steps) steps each")
        print(String(format: "frame 200x60           %.3f ms mean, %.3f ms max over 100 renders of a finished run", r.frameMeanMs, r.frameMaxMs))
        print(String(format: "frame 200x60, live     %.3f ms mean, %.3f ms max over %d frames while both solvers train", r.liveMeanMs, r.liveMaxMs, r.liveFrames))
        print(String(format: "headless               %.0f samples/s (median of 3, alternating)", r.headlessSamplesPerSecond))
        print(String(format: "with 20 fps renderer   %.0f samples/s (median of 3)", r.dashboardSamplesPerSecond))
        print(String(format: "dashboard cost         %.2f%% of throughput", 100 * (1 - r.dashboardSamplesPerSecond / r.headlessSamplesPerSecond)))
    }
}
