import BPGradEngine

/// Everything that keeps a figure from being drawn or written, each as one paragraph that
/// names the file or the field and says what was expected.
public enum FigureError: Error, CustomStringConvertible, Equatable, Sendable {
    case unknownFormat(path: String)
    case cannotWrite(path: String, message: String)
    /// The output exists and overwriting it was not asked for (`plot --force`).
    case exists(path: String)
    case cairo(message: String)
    case noSuchDirectory(path: String)
    case run(RunFileError)
    case noData(metric: String, directories: [String], detail: String)
    case epochUnknown(path: String)
    case invalidOption(field: String, message: String)

    public var description: String {
        switch self {
        case let .unknownFormat(path):
            return "\(path): the output's extension names no format this tool writes. Use .png, .svg or .pdf (e.g. --out loss.svg)."
        case let .cannotWrite(path, message):
            return "\(path): cannot write the figure (\(message)). Check that the folder exists and is writable."
        case let .exists(path):
            return "\(path): exists already, and plot does not overwrite a file unless --force is given. Choose another --out or add --force."
        case let .cairo(message):
            return "cairo could not draw the figure: \(message)."
        case let .noSuchDirectory(path):
            return "\(path): no such run directory. Give a folder written by bpgrad-tui (the dashboard, compare, sweep) or by bpgrad.RunWriter."
        case let .run(error):
            return error.description
        case let .noData(metric, directories, detail):
            return "no data for --metric \(metric) in \(directories.joined(separator: ", ")): \(detail)"
        case let .epochUnknown(path):
            return "\(path): the epoch axis needs the steps per epoch, but run.json has no steps_per_epoch and no configuration has reached a second epoch. Use --x step or --x time."
        case let .invalidOption(field, message):
            return "\(field): \(message)"
        }
    }
}
