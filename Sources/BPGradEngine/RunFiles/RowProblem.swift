/// Why a CSV row was skipped, for the reader's status line.
public enum RowProblem: Error, Sendable, Equatable, CustomStringConvertible {
    case fieldCount(expected: Int, found: Int)
    case notANumber(column: String, text: String)
    case notAWholeNumber(column: String, text: String)
    case emptyRequired(column: String)
    case stepNotIncreasing(step: Int, previous: Int)
    case badQuoting(field: Int)
    case lineTooLong(bytes: Int)
    case unknownEvent(kind: String)
    /// Training time that goes back: the drawing maps steps to time through it.
    case wallTimeDecreasing(wall: Double, previous: Double)
    /// Training time that is negative, infinite or beyond 10^15 ms (31,700 years): readers
    /// turn it into clocks and axes, where such a value overflows.
    case wallTimeOutOfRange(wall: Double)

    /// The reason in words; text from the file is quoted with its control characters escaped.
    public var description: String {
        let q = CSVLine.printable
        return switch self {
        case let .fieldCount(expected, found): "expected \(expected) fields as in the header, found \(found)"
        case let .notANumber(column, text): "field '\(q(column))' is '\(q(text))', expected a number or an empty field"
        case let .notAWholeNumber(column, text): "field '\(q(column))' is '\(q(text))', expected a whole number >= 0"
        case let .emptyRequired(column): "field '\(q(column))' is empty, and every row needs one"
        case let .stepNotIncreasing(step, previous): "step \(step) does not increase (the row before had step \(previous))"
        case let .badQuoting(field): "field \(field + 1) has an unbalanced quote"
        case let .lineTooLong(bytes): "a line longer than \(bytes) bytes"
        case let .unknownEvent(kind): "event kind '\(q(kind))' is not one the run format lists"
        case let .wallTimeDecreasing(wall, previous):
            "field 'wall_ms' is \(NumberText.exact(wall)), below the row before's \(NumberText.exact(previous)) (training time never goes back)"
        case let .wallTimeOutOfRange(wall):
            "field 'wall_ms' is \(NumberText.exact(wall)), expected a training time in milliseconds, at least 0 and below 1e15"
        }
    }
}
