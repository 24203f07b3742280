import CZlib
import Foundation

/// Reads a whole file, inflating it when it is gzip-compressed (zlib reads plain files as they are).
enum GzipFile {
    static func read(_ path: String) throws(EngineError) -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw .dataset(path: path, message: "file not found")
        }
        guard let file = gzopen(path, "rb") else {
            throw .dataset(path: path, message: "cannot open the file (\(String(cString: strerror(errno))))")
        }
        defer { gzclose(file) }
        var out = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if n < 0 {
                var code: Int32 = 0
                let message = gzerror(file, &code).map { String(cString: $0) } ?? "unknown error"
                throw .dataset(path: path, message: "the gzip data is corrupt (\(message))")
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<Int(n)])
        }
        return out
    }
}
