import Foundation

/// An append-only text file of whole lines, flushed at least once a second, so a killed run
/// loses at most the last second of lines and never leaves half a row.
///
/// Lines collect in a buffer that only ever holds complete lines and reach the file with
/// write(2), never through stdio (whose buffer flushes wherever it happens to be full, tearing
/// a row in two). Every write is checked. The first failure (a full disk, a device error) is
/// kept in `failure`, the file is cut back to its last complete line where it can be, and
/// later lines are dropped: the owner polls `failure` to report it once (a session worker
/// raises an alert), and `close()` throws it. Writing, flushing and closing belong to one
/// thread at a time, the owner's.
public final class LineWriter {
    public let path: String
    private let fd: Int32
    private var buffer = [UInt8]()
    private var lastFlush = DispatchTime.now().uptimeNanoseconds
    /// Bytes and lines that reached the file.
    private var written = 0
    public private(set) var linesWritten = 0
    private var closed = false

    /// Lines are written out once this many bytes are waiting, or a second has passed.
    static let bufferLimit = 64 << 10

    /// The first write error, or nil while every line has reached the file.
    public private(set) var failure: EngineError?

    /// Called once, with the first failure, on the writing thread (a run directory keeps it).
    public var onFailure: (@Sendable (EngineError) -> Void)?

    /// A log at `path` the user named (`train --log`). A file that does not exist is created
    /// (never through a link); an existing regular file is written over only with `overwrite`
    /// (`--force`), and a link to one only then too. A named pipe or a device (`/dev/stdout`,
    /// `/dev/full`) is written to as it is, without truncating anything; a named pipe only when a
    /// reader is there (else the open would block until one comes); its writes then block as a
    /// pipe's do.
    public convenience init(path: String, header: String?, overwrite: Bool = false) throws(EngineError) {
        try self.init(descriptor: Self.openLog(path, overwrite: overwrite), path: path, header: header)
    }

    /// A new file `name` in the folder open as `directory` (a run directory), created there and
    /// only there: never a file that already exists, never through a link planted at its name.
    /// `path` is what messages call it.
    public convenience init(directory: Int32, name: String, path: String, header: String?) throws(EngineError) {
        let f = openat(directory, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard f >= 0 else { throw .io(path: path, message: Self.createReason(errno)) }
        try self.init(descriptor: f, path: path, header: header)
    }

    private init(descriptor f: Int32, path: String, header: String?) throws(EngineError) {
        self.path = path
        fd = f
        if let header { write(header) }
        flush()
        if let failure { Foundation.close(fd); closed = true; throw failure }
    }

    /// Why creating a file failed, in words (`EEXIST`: something, perhaps a link, is already there).
    static func createReason(_ code: Int32) -> String {
        switch code {
        case EEXIST: "already exists; a run directory's files are created once and never written over (nor through a link)"
        case EISDIR: "is a directory; give the path of a file to write"
        case ENOENT: "cannot be created: its folder does not exist"
        case EACCES: "cannot be written: permission denied"
        case ELOOP: "is a symbolic link; files are never written through links"
        default: "cannot be written (\(String(cString: strerror(code))))"
        }
    }

    private static func openLog(_ path: String, overwrite: Bool) throws(EngineError) -> Int32 {
        let created = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        if created >= 0 { return created }
        guard errno == EEXIST else { throw .io(path: path, message: createReason(errno)) }
        var link = stat(), target = stat()
        guard lstat(path, &link) == 0 else { throw .io(path: path, message: createReason(errno)) }
        let isLink = link.st_mode & S_IFMT == S_IFLNK
        guard stat(path, &target) == 0 else {
            throw .io(path: path, message: isLink ? "is a symbolic link to nothing; a log is never created through a link" : createReason(errno))
        }
        let f: Int32
        switch target.st_mode & S_IFMT {
        case S_IFREG:
            guard overwrite else {
                throw .io(path: path, message: isLink ? "is a symbolic link to an existing file; a log never replaces a file unless asked (--force)"
                                                      : "already exists; a log never replaces a file unless asked (--force)")
            }
            f = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
        case S_IFDIR:
            throw .io(path: path, message: "is a directory; give the path of a file to write")
        case S_IFIFO:
            f = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
            guard f >= 0 else {
                throw .io(path: path, message: errno == ENXIO ? "is a named pipe (FIFO) with no reader" : createReason(errno))
            }
            _ = fcntl(f, F_SETFL, fcntl(f, F_GETFL) & ~O_NONBLOCK)
        default:
            // A device (a terminal, /dev/null, /dev/full): written as it is, nothing truncated.
            f = open(path, O_WRONLY | O_CLOEXEC)
        }
        guard f >= 0 else { throw .io(path: path, message: createReason(errno)) }
        return f
    }

    deinit { if !closed { flush(); Foundation.close(fd) } }

    /// Queues one line (its newline is added); dropped once a write has failed.
    public func write(_ line: String) {
        guard !closed, failure == nil else { return }
        buffer.append(contentsOf: line.utf8)
        buffer.append(10)
        let now = DispatchTime.now().uptimeNanoseconds
        if buffer.count >= Self.bufferLimit || now - lastFlush > 1_000_000_000 { flush() }
    }

    /// Writes every queued line to the file.
    public func flush() {
        lastFlush = DispatchTime.now().uptimeNanoseconds
        guard !buffer.isEmpty, !closed else { return }
        defer { buffer.removeAll(keepingCapacity: true) }
        guard failure == nil else { return }
        var done = 0
        let error: Int32? = buffer.withUnsafeBytes { bytes in
            while done < bytes.count {
                let n = Foundation.write(fd, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                if n == 0 { return EIO }
                done += n
            }
            return nil
        }
        // Lines fully written, and where the last of them ends.
        let complete = buffer[..<done].lastIndex(of: 10).map { $0 + 1 } ?? 0
        linesWritten += buffer[..<complete].reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
        guard let error else { written += done; return }
        // A partial line at the end of the file would read as a torn row: cut it off.
        let cut = done > complete && ftruncate(fd, off_t(written + complete)) == 0
        written += complete
        fail("writing failed after \(linesWritten) complete line\(linesWritten == 1 ? "" : "s") (\(String(cString: strerror(error))))"
             + (cut || done == complete ? "; the file ends with the last complete line" : ""))
    }

    /// Flushes and closes the file; throws the first write error, if any.
    public func close() throws(EngineError) {
        guard !closed else { if let failure { throw failure }; return }
        flush()
        closed = true
        if Foundation.close(fd) != 0, failure == nil {
            fail("closing failed (\(String(cString: strerror(errno)))); the last lines may be lost")
        }
        if let failure { throw failure }
    }

    private func fail(_ message: String) {
        guard failure == nil else { return }
        let error = EngineError.io(path: path, message: message)
        failure = error
        onFailure?(error)
    }
}
