import BPGradEngine
import BPGradFigures
import Foundation

/// `bench --read-run DIR [--write-rows N]`: how fast a run directory becomes a first frame.
///
/// Three timings, each the median of three after one untimed read that warms the page cache:
/// the reader alone (every row parsed into a `StepRecord`), the reader feeding the dashboard's
/// metrics (`RunView.load`, what `view` draws its first frame from), and `plot`
/// end to end (read, accumulate, render a PNG in memory).
struct RunReadBenchmark {
    let directory: String

    /// Writes a synthetic finished run: run.json, one BPGrad configuration of `rows` rows as
    /// the engine writes them (`StepCSV.line`, all 17 columns, test columns every 50 steps),
    /// events.csv and summary.json. The directory must not exist.
    static func writeSyntheticRun(_ dir: String, rows: Int) throws {
        guard rows >= 1, rows <= 100_000_000 else {
            throw EngineError.invalidValue(field: "--write-rows", message: "\(rows) is out of range; give 1 to 100000000 rows")
        }
        guard !FileManager.default.fileExists(atPath: dir) else {
            throw EngineError.io(path: dir, message: "already exists; --write-rows writes a fresh run directory and does not overwrite one")
        }
        do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
            throw EngineError.io(path: dir, message: "cannot create the run directory (\(error.localizedDescription))")
        }
        let spe = 19
        let json = """
        {"format": "bpgrad-run", "version": 1, "writer": "bpgrad-tui bench", "preset": "synthetic", "steps_per_epoch": \(spe),
         "total_steps": \(rows), "previous": null,
         "configurations": [{"name": "bpgrad", "kind": "bpgrad", "label": "BPGrad",
           "hyperparameters": {"lipschitz": 10, "momentum": 0.9, "rho": 0.1}, "parent": null, "fork_step": null}]}

        """
        try writeFile(json, to: "\(dir)/run.json")
        let log = try LineWriter(path: "\(dir)/bpgrad.csv", header: StepCSV.header)
        var rng = SeededGenerator(seed: 11)
        var best = Double.infinity
        for step in 1...rows {
            let t = Double(step) / Double(rows)
            let loss = 1.1 * exp(-6 * t) + 0.02 + 0.05 * Double.random(in: 0...1, using: &rng)
            best = min(best, loss)
            var telemetry = SolverTelemetry()
            telemetry.fStar = 0.1 * best
            telemetry.eta = (loss - 0.1 * best) / 10
            telemetry.radius = telemetry.eta
            telemetry.gradNorm = 0.4 * exp(-3 * t) + 0.01 * Double.random(in: 0...1, using: &rng)
            telemetry.stepNorm = telemetry.eta! * Double.random(in: 0.8...1.9, using: &rng)
            telemetry.lipschitzEstimate = 2 + Double.random(in: 0...1, using: &rng)
            let evaluated = step % 50 == 0
            telemetry.lipschitz = 10; telemetry.momentum = 0.9; telemetry.rho = 0.1
            let test: Evaluation? = evaluated ? Evaluation(loss: loss * 1.05, accuracy: min(1, 0.3 + t)) : nil
            let row = StepRecord(step: step, epoch: (step - 1) / spe + 1, loss: loss, test: test, telemetry: telemetry,
                                 wallMilliseconds: Double(step) * 0.35, samples: 64)
            log.write(StepCSV.line(row, name: "bpgrad"))
        }
        log.flush()
        try writeFile(SessionEvent.csvHeader + "\n0,0.000,bpgrad,start,lipschitz=10 momentum=0.9 rho=0.1\n"
                      + "\(rows / 2),\(Double(rows / 2) * 0.35),bpgrad,set,lipschitz 10 -> 20\n"
                      + "\(rows),\(Double(rows) * 0.35),bpgrad,finished,\n", to: "\(dir)/events.csv")
        try writeFile(#"{"format": "bpgrad-run", "version": 1, "state": "finished", "solvers": [{"solver": "bpgrad", "status": "finished", "steps": \#(rows)}]}"# + "\n",
                      to: "\(dir)/summary.json")
    }

    private static func writeFile(_ text: String, to path: String) throws {
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw EngineError.io(path: path, message: "cannot be written (\(error.localizedDescription))")
        }
    }

    struct ReadStats { var rows = 0, polls = 0, largestDelta = 0, malformed = 0, configurations = 0 }

    /// Reads the whole run; `consume` sees every delta.
    func read(_ consume: (RunDelta) -> Void = { _ in }) throws -> ReadStats {
        var reader = RunReader(path: directory)
        var stats = ReadStats()
        while true {
            let d = try reader.poll()
            if stats.polls == 0, !d.status.directoryExists { throw FigureError.noSuchDirectory(path: directory) }
            stats.polls += 1
            stats.rows += d.rowCount
            stats.largestDelta = max(stats.largestDelta, d.rowCount)
            consume(d)
            if d.status.isCaughtUp {
                stats.malformed = d.status.malformedRows
                stats.configurations = reader.manifest?.configurations.count ?? 0
                return stats
            }
        }
    }

    /// What `view` does before its first frame: the whole run read into the dashboard's metrics.
    func readIntoStore() throws -> Int {
        var view = RunView(path: directory)
        try view.load()
        return view.snapshot.configurations.reduce(0) { $0 + $1.step }
    }

    func run() throws {
        let csvBytes = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".csv") }
            .compactMap { try? FileManager.default.attributesOfItem(atPath: "\(directory)/\($0)")[.size] as? Int }
            .reduce(0, +)
        let warm = try read()
        guard warm.rows > 0 else {
            throw FigureError.noData(metric: "loss", directories: [directory], detail: "the run has no rows to time")
        }
        // Wall time, and the CPU time of this process: on a machine shared with other
        // builds the wall time says as much about the neighbours as about the reader.
        func cpuSeconds() -> Double {
            var u = rusage()
            getrusage(RUSAGE_SELF.rawValue, &u)
            return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
        }
        func median(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
            var walls: [Double] = [], cpus: [Double] = []
            for _ in 0..<3 {
                let t0 = DispatchTime.now().uptimeNanoseconds, c0 = cpuSeconds()
                try body()
                walls.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
                cpus.append(cpuSeconds() - c0)
            }
            return (walls.sorted()[1], cpus.sorted()[1])
        }
        let readTime = try median { _ = try read() }
        let storeTime = try median { _ = try readIntoStore() }
        var pngBytes = 0
        let plotTime = try median {
            let figure = try RunPlot(metric: .loss, smoothing: 0.6).figure(directories: [directory])
            pngBytes = try figure.render(.png).count
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let mb = Double(csvBytes) / 1e6
        print("run          \(directory): \(warm.configurations) configuration\(warm.configurations == 1 ? "" : "s"), \(warm.rows) rows, \(String(format: "%.1f", mb)) MB of CSV, \(warm.malformed) malformed")
        print("polls        \(warm.polls) (at most \(RunReader.Options().maxBytesPerPoll >> 20) MiB of text each; largest delta \(warm.largestDelta) rows)")
        print("             wall s   cpu s")
        print(String(format: "read         %6.3f  %6.3f  every row parsed into a StepRecord (%.2f M rows/s, %.0f MB/s of CPU time)",
                     readTime.wall, readTime.cpu, Double(warm.rows) / readTime.cpu / 1e6, mb / readTime.cpu))
        print(String(format: "read + store %6.3f  %6.3f  the run loaded into the dashboard's metrics, as view does before its first frame", storeTime.wall, storeTime.cpu))
        print(String(format: "plot         %6.3f  %6.3f  read, smooth, accumulate and render the loss as a %d-byte PNG", plotTime.wall, plotTime.cpu, pngBytes))
        print(String(format: "max RSS      %.0f MB (the whole benchmark)", Double(usage.ru_maxrss) / 1024))
        print("times are medians of 3 after one untimed read that warms the page cache")
    }
}
