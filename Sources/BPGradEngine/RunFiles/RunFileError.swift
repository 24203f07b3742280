/// What can make a run directory unreadable as a whole, or a command impossible to append.
///
/// Everything a reader can live with (a malformed row, a truncated file, a run.json that does
/// not parse yet) is reported in the delta instead, so a viewer keeps going.
public enum RunFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The path exists but is a file, not a directory.
    case notADirectory(path: String)
    /// run.json names a format or a major version this reader does not know.
    case unsupportedFormat(file: String, field: String, found: String, expected: String)
    /// commands.jsonl could not be appended to.
    case cannotAppend(path: String, message: String)
    /// A command with a value that cannot be written as JSON (a NaN, an unsafe name).
    case invalidCommand(field: String, message: String)

    public var description: String {
        switch self {
        case let .notADirectory(path):
            return "\(path): is a file, not a run directory. Give the folder that holds run.json (or the per-solver CSV files)."
        case let .unsupportedFormat(file, field, found, expected):
            // `found` is the file's own text: its control characters are escaped.
            return "\(file): field '\(field)' is \(CSVLine.printable(found)), but this bpgrad-tui reads \(expected). The run was written by a newer or a different tool; update bpgrad-tui or convert the run."
        case let .cannotAppend(path, message):
            return "\(path): cannot append the command (\(message)). Check that the run directory exists and is writable."
        case let .invalidCommand(field, message):
            return "command field '\(field)': \(message)"
        }
    }
}
