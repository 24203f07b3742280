import Foundation

/// Turns `events.csv` rows into `SessionEvent`s, finding columns by name.
///
/// The one place that knows the events columns. An event kind the format does not list is a
/// malformed row (counted and skipped), like any other field that does not parse.
struct EventDecoder: Sendable {
    private enum Column: Sendable { case ignored, step, wallMs, solver, event, detail }

    let names: [String]
    private let columns: [Column]

    /// Nil when the header lacks a `step` or an `event` column.
    init?(header: [String]) {
        var seen = Set<String>()
        columns = header.map { raw in
            let name = raw.trimmingCharacters(in: .whitespaces)
            guard seen.insert(name).inserted else { return .ignored }
            switch name {
            case "step": return .step
            case "wall_ms": return .wallMs
            case "solver": return .solver
            case "event": return .event
            case "detail": return .detail
            default: return .ignored
            }
        }
        guard seen.contains("step"), seen.contains("event") else { return nil }
        names = header
    }

    func decode(_ line: UnsafePointer<UInt8>, _ length: Int, scratch: inout [UInt8]) -> Result<SessionEvent, RowProblem> {
        var event = SessionEvent(step: -1, wallMilliseconds: .nan, solver: "", kind: .start, detail: "")
        var kind: String?
        var problem: RowProblem?
        let count = columns.count
        let split = CSVLine.forEachField(line, length, scratch: &scratch) { i, p, n in
            guard i < count, n > 0 else { return true }
            switch columns[i] {
            case .ignored: break
            case .step:
                guard let v = NumberField.integer(p, n) else {
                    problem = .notAWholeNumber(column: names[i], text: CSVLine.excerpt(p, n)); return false
                }
                event.step = v
            case .wallMs:
                guard let v = NumberField.double(p, n) else {
                    problem = .notANumber(column: names[i], text: CSVLine.excerpt(p, n)); return false
                }
                event.wallMilliseconds = v
            case .solver: event.solver = CSVLine.string(p, n)
            case .event: kind = CSVLine.string(p, n)
            case .detail: event.detail = CSVLine.string(p, n)
            }
            return true
        }
        if let problem { return .failure(problem) }
        switch split {
        case .failure(.unterminatedQuote(let f)), .failure(.textAfterQuote(let f)): return .failure(.badQuoting(field: f))
        case .success(let n) where n != count: return .failure(.fieldCount(expected: count, found: n))
        case .success: break
        }
        if event.step < 0 { return .failure(.emptyRequired(column: "step")) }
        guard let kind, !kind.isEmpty else { return .failure(.emptyRequired(column: "event")) }
        guard let k = EventKind(rawValue: kind) else { return .failure(.unknownEvent(kind: kind)) }
        event.kind = k
        return .success(event)
    }
}
