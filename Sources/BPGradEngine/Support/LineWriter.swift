import Foundation

/// An append-only text file flushed at least once a second, so a killed run loses at most
/// the last second of lines.
public final class LineWriter {
    public let path: String
    private let file: UnsafeMutablePointer<FILE>
    private var lastFlush = DispatchTime.now().uptimeNanoseconds

    public init(path: String, header: String?) throws(EngineError) {
        guard let f = fopen(path, "w") else {
            throw .io(path: path, message: "cannot be written (\(String(cString: strerror(errno))))")
        }
        self.path = path
        file = f
        if let header { write(header) }
        flush()
    }

    deinit { fclose(file) }

    public func write(_ line: String) {
        fputs(line, file)
        fputc(10, file)
        let now = DispatchTime.now().uptimeNanoseconds
        if now - lastFlush > 1_000_000_000 { flush() }
    }

    public func flush() {
        fflush(file)
        lastFlush = DispatchTime.now().uptimeNanoseconds
    }
}
