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

    public var description: String {
        switch self {
        case let .fieldCount(expected, found): "expected \(expected) fields as in the header, found \(found)"
        case let .notANumber(column, text): "field '\(column)' is '\(text)', expected a number or an empty field"
        case let .notAWholeNumber(column, text): "field '\(column)' is '\(text)', expected a whole number >= 0"
        case let .emptyRequired(column): "field '\(column)' is empty, and every row needs one"
        case let .stepNotIncreasing(step, previous): "step \(step) does not increase (the row before had step \(previous))"
        case let .badQuoting(field): "field \(field + 1) has an unbalanced quote"
        case let .lineTooLong(bytes): "a line longer than \(bytes) bytes"
        case let .unknownEvent(kind): "event kind '\(kind)' is not one the run format lists"
        }
    }
}
