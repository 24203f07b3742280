import Foundation

/// Appends commands to a run's `commands.jsonl`, as viewers do.
///
/// Each command is one complete line written with a single `write` call on a descriptor opened
/// with `O_APPEND`, so lines from several viewers never interleave (POSIX makes each append
/// atomic with respect to the file offset; a short write is reported, never continued, since a
/// second call could land after another process's line). Ids are `w<pid>-<start time>-<n>`,
/// unique in the file across viewers and restarts.
///
/// Only the file the writer created is appended to: it is opened without `O_CREAT` (a viewer
/// never creates it, nor the target of a dangling link planted at its name), without
/// following a link, without blocking (a named pipe), and must be a regular file.
public struct CommandAppender: Sendable {
    public let path: String
    private let prefix: String
    private var counter = 0

    /// `directory` is the run directory, whose writer created commands.jsonl when the run started.
    public init(directory: String, idPrefix: String? = nil) {
        path = directory + "/commands.jsonl"
        prefix = idPrefix ?? "w\(getpid())-\(Int(Date().timeIntervalSince1970))"
    }

    /// Appends one command and returns its id (the writer quotes it in the resulting event).
    @discardableResult
    public mutating func append(_ command: RunCommand) throws(RunFileError) -> String {
        counter += 1
        let id = "\(prefix)-\(counter)"
        let line = try command.jsonLine(id: id) + "\n"
        let fd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            switch errno {
            case ENOENT: throw .cannotAppend(path: path, message: "it does not exist; the run's writer creates it when the run starts, and a writer that cannot be steered has none")
            case ELOOP: throw .cannotAppend(path: path, message: "it is a symbolic link; commands are written only to the file the writer created")
            case ENXIO: throw .cannotAppend(path: path, message: "it is a named pipe (FIFO), not the writer's file")
            default: throw .cannotAppend(path: path, message: String(cString: strerror(errno)))
            }
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            throw .cannotAppend(path: path, message: "it is not a regular file")
        }
        let bytes = Array(line.utf8)
        var written: Int
        repeat {
            written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        } while written < 0 && errno == EINTR
        guard written == bytes.count else {
            let why = written < 0 ? String(cString: strerror(errno)) : "only \(written) of \(bytes.count) bytes were written"
            throw .cannotAppend(path: path, message: why)
        }
        return id
    }
}
