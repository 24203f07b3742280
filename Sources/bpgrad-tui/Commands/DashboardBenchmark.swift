import BPGradDashboard
import BPGradEngine
import Foundation

/// Measures what the dashboard costs: the time to render a full frame, and the training
/// throughput of a session with a 20 fps renderer reading it, against the same session headless.
struct DashboardBenchmark {
    let preset: Preset
    let steps: Int
    let width = 200, height = 60, fps = 20

    struct Result {
        /// Renders of one finished session's snapshot, on an otherwise idle thread.
        var frameMeanMs: Double, frameMaxMs: Double
        /// Frames rendered while both solvers trained on the machine's cores.
        var liveMeanMs: Double, liveMaxMs: Double, liveFrames: Int
        var headlessSamplesPerSecond: Double, dashboardSamplesPerSecond: Double
    }

    func run() throws -> Result {
        let setup = try Experiment(preset: preset)
        // BPGrad against Adam whatever the preset lists: the figure must compare across presets.
        let specs = try ConfigurationList.resolve(ConfigurationSpec.defaultRace, base: preset.settings, field: "bench --dashboard")
        let info = DashboardInfo(experiment: setup, runDirectory: nil)

        func race(rendering: Bool) throws -> (rate: Double, frames: [Double]) {
            let session = try Session(experiment: setup, configurations: specs, runDirectory: nil, options: .headless)
            let start = DispatchTime.now().uptimeNanoseconds
            session.start()
            var frames = [Double]()
            while !session.wait(timeout: .now() + .milliseconds(1000 / fps)) {
                guard rendering else { continue }
                let t0 = DispatchTime.now().uptimeNanoseconds
                let grid = DashboardView(snapshot: session.store.snapshot(), info: info, state: DashboardState()).render(width: width, height: height)
                frames.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                precondition(grid.width == width)
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let samples = session.store.snapshot().configurations.reduce(0) { $0 + $1.step } * preset.training.batchSize
            return (Double(samples) / seconds, frames)
        }
        // Alternate the two, three times each, and compare medians: one run of each is at
        // the mercy of whatever else the machine is doing.
        _ = try race(rendering: false)  // warm-up: page faults, caches
        var headlessRates = [Double](), dashboardRates = [Double](), liveFrames = [Double]()
        for _ in 0..<3 {
            headlessRates.append(try race(rendering: false).rate)
            let d = try race(rendering: true)
            dashboardRates.append(d.rate)
            liveFrames += d.frames
        }
        func median(_ a: [Double]) -> Double { a.sorted()[a.count / 2] }
        // A frame of a finished 200x60 session, rendered many times, for a steady per-frame figure.
        let session = try Session(experiment: setup, configurations: specs, runDirectory: nil, options: .headless)
        session.start(); session.wait()
        let snapshot = session.store.snapshot()
        var times = [Double]()
        for _ in 0..<100 {
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = DashboardView(snapshot: snapshot, info: info, state: DashboardState()).render(width: width, height: height)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        }
        return Result(frameMeanMs: times.reduce(0, +) / Double(times.count), frameMaxMs: times.max() ?? 0,
                      liveMeanMs: liveFrames.reduce(0, +) / Double(max(1, liveFrames.count)), liveMaxMs: liveFrames.max() ?? 0,
                      liveFrames: liveFrames.count,
                      headlessSamplesPerSecond: median(headlessRates), dashboardSamplesPerSecond: median(dashboardRates))
    }
}
