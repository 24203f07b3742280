import Foundation

/// The IDX format of MNIST and Fashion-MNIST: a magic number (0, 0, type, rank), big-endian
/// 32-bit dimensions, then the values. Only unsigned bytes (type 0x08) are used by these sets.
public enum IDXReader {
    public struct Array: Sendable {
        public var dimensions: [Int]
        public var bytes: [UInt8]
    }

    /// Reads and validates a raw or gzip-compressed IDX file of unsigned bytes.
    public static func read(_ path: String) throws(EngineError) -> Array {
        let data = try GzipFile.read(path)
        guard data.count >= 4 else {
            throw .dataset(path: path, message: "truncated: \(data.count) bytes, too short for the 4-byte IDX magic number")
        }
        guard data[0] == 0, data[1] == 0 else {
            throw .dataset(path: path, message: String(format: "not an IDX file: the magic number starts 0x%02x%02x, expected 0x0000", data[0], data[1]))
        }
        guard data[2] == 0x08 else {
            throw .dataset(path: path, message: String(format: "IDX value type 0x%02x is not supported (expected 0x08, unsigned bytes)", data[2]))
        }
        let rank = Int(data[3])
        guard rank >= 1, rank <= 4 else { throw .dataset(path: path, message: "IDX rank \(rank) is out of range (expected 1 to 4)") }
        let headerSize = 4 + 4 * rank
        guard data.count >= headerSize else {
            throw .dataset(path: path, message: "truncated: the header needs \(headerSize) bytes, the file has \(data.count)")
        }
        var dims = [Int]()
        for r in 0..<rank {
            let o = 4 + 4 * r
            dims.append(Int(data[o]) << 24 | Int(data[o + 1]) << 16 | Int(data[o + 2]) << 8 | Int(data[o + 3]))
        }
        let expected = headerSize + dims.reduce(1, *)
        guard data.count == expected else {
            let what = data.count < expected ? "truncated" : "too long"
            throw .dataset(path: path, message: "\(what): dimensions \(dims.map(String.init).joined(separator: "x")) need \(expected) bytes, the file has \(data.count)")
        }
        return Array(dimensions: dims, bytes: Swift.Array(data[headerSize...]))
    }

    /// Reads an image file and its label file into a dataset with [1, H, W] samples scaled to [0, 1].
    public static func loadImages(images: String, labels: String, classes: Int = 10) throws(EngineError) -> Dataset {
        let img = try read(images), lab = try read(labels)
        guard img.dimensions.count == 3 else {
            throw .dataset(path: images, message: "expected a rank-3 image array [count, height, width], found rank \(img.dimensions.count)")
        }
        guard lab.dimensions.count == 1 else {
            throw .dataset(path: labels, message: "expected a rank-1 label array, found rank \(lab.dimensions.count)")
        }
        guard img.dimensions[0] == lab.dimensions[0] else {
            throw .dataset(path: labels, message: "has \(lab.dimensions[0]) labels but \(images) has \(img.dimensions[0]) images")
        }
        if let bad = lab.bytes.firstIndex(where: { Int($0) >= classes }) {
            throw .dataset(path: labels, message: "label \(lab.bytes[bad]) at index \(bad) is not a class in 0..<\(classes)")
        }
        let features = img.bytes.map { Float($0) / 255 }
        return Dataset(sampleShape: Shape([1, img.dimensions[1], img.dimensions[2]]), task: .classification(classes: classes),
                       features: features, targets: lab.bytes.map { Float($0) })
    }
}
