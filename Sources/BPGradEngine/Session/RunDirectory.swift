import Foundation

/// `runs/<yyyyMMdd-HHmmss>-<preset>/`: the resolved preset, one CSV per solver, `events.csv`
/// and `summary.json`. Everything is flushed at least once a second while a session runs.
public final class RunDirectory: Sendable {
    public let path: String
    private let events: Locked<LineWriter>

    /// Creates `explicitPath`, or a fresh time-stamped folder under `runs/`.
    public init(preset: Preset, explicitPath: String? = nil, date: Date = Date()) throws(EngineError) {
        var target: String
        if let explicitPath {
            target = explicitPath
        } else {
            let f = DateFormatter()
            f.dateFormat = "yyyyMMdd-HHmmss"
            f.locale = Locale(identifier: "en_US_POSIX")
            let safeName = preset.name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" }
            target = "runs/\(f.string(from: date))-\(String(safeName))"
            var n = 2
            while FileManager.default.fileExists(atPath: target) { target = "runs/\(f.string(from: date))-\(String(safeName))-\(n)"; n += 1 }
        }
        do { try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true) } catch {
            throw .io(path: target, message: "cannot create the run directory (\(error.localizedDescription))")
        }
        path = target
        do { try preset.resolvedYAML.write(toFile: "\(target)/preset.yaml", atomically: true, encoding: .utf8) } catch {
            throw .io(path: "\(target)/preset.yaml", message: "cannot be written (\(error.localizedDescription))")
        }
        events = Locked(try LineWriter(path: "\(target)/events.csv", header: SessionEvent.csvHeader))
    }

    public func csvPath(solver: String) -> String { "\(path)/\(solver).csv" }

    public func record(_ event: SessionEvent) {
        events.withLock { $0.write(event.csv) }
    }

    /// Flushes the events and rewrites summary.json from the store.
    public func flush(_ snapshot: SessionSnapshot) {
        events.withLock { $0.flush() }
        let summary = snapshot.solvers.map(SolverSummary.init)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        if let data = try? encoder.encode(["solvers": summary]) {
            try? data.write(to: URL(fileURLWithPath: "\(path)/summary.json"), options: .atomic)
        }
    }
}

/// One solver's line in summary.json.
public struct SolverSummary: Codable, Sendable, Equatable {
    public var solver: String
    public var status: String
    public var steps: Int
    public var final_loss: Double?
    public var best_loss: Double?
    public var final_test_loss: Double?
    public var best_test_accuracy: Double?
    public var samples_per_second: Double

    public init(_ m: SolverMetrics) {
        solver = m.kind
        status = m.status.description
        steps = m.step
        final_loss = m.lossEMA.flatMap { $0.isFinite ? $0 : nil }
        best_loss = m.bestLoss
        final_test_loss = m.lastTestLoss.flatMap { $0.isFinite ? $0 : nil }
        best_test_accuracy = m.bestTestAccuracy
        samples_per_second = m.samplesPerSecond
    }
}
