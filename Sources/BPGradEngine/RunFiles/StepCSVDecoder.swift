import Foundation

/// Turns `<name>.csv` rows into `StepRecord`s, finding columns by name: the reading edge that
/// mirrors `StepCSV`, the writing one.
///
/// This is the one place that knows how the CSV columns map onto `StepRecord` and its
/// `SolverTelemetry`: when those types change, only `Column` and `decode` change.
/// Unknown columns are ignored; missing ones are empty. Empty values become nil for optional
/// fields, and NaN for the ones `StepRecord` keeps as plain numbers (`loss`, `grad_norm`,
/// `step_norm`, `wall_ms`), which charts skip like any non-finite value; a missing `epoch` is 0.
/// The CSV has no sample count: `samples` is `batchSize` (from run.json), or 0 when unknown.
struct StepCSVDecoder: Sendable {
    enum Column: UInt8, Sendable {
        case ignored, step, epoch, solver, loss, testLoss, testAccuracy, lr, eta, radius, fStar
        case gradNorm, stepNorm, lipschitz, momentum, rho, lipschitzEstimate, wallMs

        /// The cases after `ignored` are `StepCSV.columns` in order: the writer's list of names is
        /// the one list (a test writes a record with every field set and reads it back).
        init(name: String) {
            self = StepCSV.columns.firstIndex(of: name).flatMap { Column(rawValue: UInt8($0 + 1)) } ?? .ignored
        }
    }

    let names: [String]
    private let columns: [Column]
    /// 10^15 ms, about 31,700 years: the largest training time a row may give.
    static let wallLimit = 1e15

    /// Nil when the header has no `step` column (then the file is not a step log).
    init?(header: [String]) {
        var seen = Set<Column>()
        // A repeated column name: the first one counts, later ones are ignored.
        columns = header.map { name in
            let c = Column(name: name.trimmingCharacters(in: .whitespaces))
            return c != .ignored && seen.insert(c).inserted ? c : .ignored
        }
        guard seen.contains(.step) else { return nil }
        names = header
    }

    var fieldCount: Int { columns.count }

    /// The test columns of one row, gathered before they become an `Evaluation`.
    struct Test { var loss: Double?, accuracy: Double? }

    /// One row of the file of a configuration whose steps have `batchSize` samples.
    func decode(_ line: UnsafePointer<UInt8>, _ length: Int, batchSize: Int, scratch: inout [UInt8]) -> Result<StepRecord, RowProblem> {
        var row = StepRecord(step: -1, epoch: 0, loss: .nan, telemetry: SolverTelemetry(), wallMilliseconds: .nan, samples: batchSize)
        var test = Test()
        row.telemetry.gradNorm = .nan
        row.telemetry.stepNorm = .nan
        let count = columns.count
        var fields = 0
        if memchr(line, 34, length) == nil {
            // No quotes (every row the engine writes): split on commas in place, no closure.
            var n = length
            if n > 0, line[n - 1] == 13 { n -= 1 }
            let problem: RowProblem? = columns.withUnsafeBufferPointer { cols in
                var start = 0
                while true {
                    var end = start
                    while end < n, line[end] != 44 { end += 1 }
                    if fields < count, end > start, let p = assign(cols[fields], fields, line + start, end - start, &row, &test) { return p }
                    fields += 1
                    if end >= n { return nil }
                    start = end + 1
                }
            }
            if let problem { return .failure(problem) }
        } else {
            var problem: RowProblem?
            let split = CSVLine.forEachField(line, length, scratch: &scratch) { i, p, n in
                guard i < count, n > 0 else { return true }
                problem = assign(columns[i], i, p, n, &row, &test)
                return problem == nil
            }
            if let problem { return .failure(problem) }
            switch split {
            case .failure(.unterminatedQuote(let f)), .failure(.textAfterQuote(let f)): return .failure(.badQuoting(field: f))
            case .success(let n): fields = n
            }
        }
        if fields != count { return .failure(.fieldCount(expected: count, found: fields)) }
        if row.step < 0 { return .failure(.emptyRequired(column: "step")) }
        // Empty (NaN) is no time; anything else becomes a clock and an axis position.
        let wall = row.wallMilliseconds
        if !wall.isNaN, !(wall >= 0 && wall < StepCSVDecoder.wallLimit) { return .failure(.wallTimeOutOfRange(wall: wall)) }
        if test.loss != nil || test.accuracy != nil { row.test = Evaluation(loss: test.loss ?? .nan, accuracy: test.accuracy) }
        return .success(row)
    }

    /// Sets one non-empty field of a row; the problem when it is not a number.
    @inline(__always)
    private func assign(_ column: Column, _ i: Int, _ p: UnsafePointer<UInt8>, _ n: Int, _ row: inout StepRecord,
                        _ test: inout Test) -> RowProblem? {
        switch column {
        case .ignored, .solver: return nil
        case .step, .epoch:
            guard let v = NumberField.integer(p, n) else { return .notAWholeNumber(column: names[i], text: CSVLine.excerpt(p, n)) }
            if column == .step { row.step = v } else { row.epoch = v }
            return nil
        default: break
        }
        guard let v = NumberField.double(p, n) else { return .notANumber(column: names[i], text: CSVLine.excerpt(p, n)) }
        switch column {
        case .loss: row.loss = v
        case .testLoss: test.loss = v
        case .testAccuracy: test.accuracy = v
        case .lr: row.telemetry.lr = v
        case .eta: row.telemetry.eta = v
        case .radius: row.telemetry.radius = v
        case .fStar: row.telemetry.fStar = v
        case .gradNorm: row.telemetry.gradNorm = v
        case .stepNorm: row.telemetry.stepNorm = v
        case .lipschitz: row.telemetry.lipschitz = v
        case .momentum: row.telemetry.momentum = v
        case .rho: row.telemetry.rho = v
        case .lipschitzEstimate: row.telemetry.lipschitzEstimate = v
        case .wallMs: row.wallMilliseconds = v
        case .ignored, .solver, .step, .epoch: break
        }
        return nil
    }
}
