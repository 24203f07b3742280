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

    /// Creates or truncates `path`. A named pipe is opened only when a reader is there (else the
    /// open would block until one comes); its writes then block as a pipe's do.
    public init(path: String, header: String?) throws(EngineError) {
        var st = stat()
        let isFIFO = stat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFIFO
        let f = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | (isFIFO ? O_NONBLOCK : 0), 0o644)
        guard f >= 0 else {
            let reason: String
            switch errno {
            case EISDIR: reason = "is a directory; give the path of a file to write"
            case ENOENT: reason = "cannot be created: its folder does not exist"
            case EACCES: reason = "cannot be written: permission denied"
            case ENXIO where isFIFO: reason = "is a named pipe (FIFO) with no reader"
            default: reason = "cannot be written (\(String(cString: strerror(errno))))"
            }
            throw .io(path: path, message: reason)
        }
        if isFIFO { _ = fcntl(f, F_SETFL, fcntl(f, F_GETFL) & ~O_NONBLOCK) }
        self.path = path
        fd = f
        if let header { write(header) }
        flush()
        if let failure { Foundation.close(fd); closed = true; throw failure }
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

    private func fail(_ message: String) { if failure == nil { failure = .io(path: path, message: message) } }
}
