import CZlib
import Foundation

/// A raw or gzip-compressed regular file read front to back (zlib passes plain files through).
///
/// Readers ask for exactly the bytes a header promises, so a gzip bomb or an endless file is
/// never read further than that; anything that is not a regular file is refused before it is
/// opened (a FIFO would block, /dev/zero would never end).
final class GzipFile {
    let path: String
    /// The size on disk (compressed, for a .gz file).
    let size: Int
    private let file: gzFile

    init(path: String) throws(EngineError) {
        size = try FileCheck.regularFileSize(path) { .dataset(path: path, message: $0.description) }
        guard let f = gzopen(path, "rb") else {
            throw .dataset(path: path, message: "cannot be opened for reading (\(String(cString: strerror(errno))))")
        }
        self.path = path
        file = f
    }

    deinit { gzclose(file) }

    /// True when the file is not compressed, so `size` is the length of its data. Valid after
    /// the first read.
    var isRaw: Bool { gzdirect(file) == 1 }

    /// Up to `count` bytes; fewer only where the data ends.
    func read(count: Int) throws(EngineError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let want = UInt32(min(count - done, 1 << 30))
            let n = out.withUnsafeMutableBytes { gzread(file, $0.baseAddress! + done, want) }
            if n < 0 { throw failure() }
            if n == 0 { break }
            done += Int(n)
        }
        if done < count {
            // zlib reports a stream cut short as Z_BUF_ERROR at the end, not as a failed read.
            var code: Int32 = 0
            _ = gzerror(file, &code)
            if code == Z_BUF_ERROR { throw .dataset(path: path, message: "the gzip data is cut short (the file is truncated)") }
            out.removeLast(count - done)
        }
        return out
    }

    private func failure() -> EngineError {
        var code: Int32 = 0
        let message = gzerror(file, &code).map { String(cString: $0) } ?? "unknown error"
        if code == Z_ERRNO { return .dataset(path: path, message: "cannot be read (\(String(cString: strerror(errno))))") }
        return .dataset(path: path, message: "the gzip data is corrupt (\(message))")
    }
}
