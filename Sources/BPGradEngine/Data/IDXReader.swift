import Foundation

/// The IDX format of MNIST and Fashion-MNIST: a magic number (0, 0, type, rank), big-endian
/// 32-bit dimensions, then the values. Only unsigned bytes (type 0x08) are used by these sets.
public enum IDXReader {
    public struct Array: Sendable {
        public var dimensions: [Int]
        public var bytes: [UInt8]
    }

    /// Reads and validates a raw or gzip-compressed IDX file of unsigned bytes.
    ///
    /// The header is read first and its dimensions multiplied with overflow checks; only then,
    /// and only when `memoryPerByte` bytes of memory per value fit `budget`, are exactly that
    /// many values read (one more byte tells a file that is too long).
    public static func read(_ path: String, budget: MemoryBudget = .standard, memoryPerByte: Int = 1) throws(EngineError) -> Array {
        let file = try GzipFile(path: path)
        let magic = try file.read(count: 4)
        func has(_ n: Int) -> String { file.isRaw ? "the file has \(file.size)" : "the decompressed data has \(n)" }
        guard magic.count == 4 else {
            throw .dataset(path: path, message: "truncated: \(magic.count) bytes, too short for the 4-byte IDX magic number")
        }
        guard magic[0] == 0, magic[1] == 0 else {
            throw .dataset(path: path, message: String(format: "not an IDX file: the magic number starts 0x%02x%02x, expected 0x0000", magic[0], magic[1]))
        }
        guard magic[2] == 0x08 else {
            throw .dataset(path: path, message: String(format: "IDX value type 0x%02x is not supported (expected 0x08, unsigned bytes)", magic[2]))
        }
        let rank = Int(magic[3])
        guard rank >= 1, rank <= 4 else { throw .dataset(path: path, message: "IDX rank \(rank) is out of range (expected 1 to 4)") }
        let headerSize = 4 + 4 * rank
        let header = try file.read(count: 4 * rank)
        guard header.count == 4 * rank else {
            throw .dataset(path: path, message: "truncated: the header needs \(headerSize) bytes, \(has(4 + header.count))")
        }
        let dims = (0..<rank).map { r in
            let o = 4 * r
            return Int(header[o]) << 24 | Int(header[o + 1]) << 16 | Int(header[o + 2]) << 8 | Int(header[o + 3])
        }
        let shape = dims.map(String.init).joined(separator: "x")
        guard let count = CheckedSize.product(dims), let expected = CheckedSize.sum(headerSize, count) else {
            throw .dataset(path: path, message: "dimensions \(shape) describe more values than a 64-bit size can count; the header is corrupt")
        }
        if file.isRaw, file.size != expected {
            let what = file.size < expected ? "truncated" : "too long"
            throw .dataset(path: path, message: "\(what): dimensions \(shape) need \(expected) bytes, the file has \(file.size)")
        }
        try budget.require(CheckedSize.product(count, memoryPerByte), for: "dataset \(path): \(shape) values")
        let bytes = try file.read(count: count)
        guard bytes.count == count else {
            throw .dataset(path: path, message: "truncated: dimensions \(shape) need \(expected) bytes, \(has(headerSize + bytes.count))")
        }
        guard try file.read(count: 1).isEmpty else {
            throw .dataset(path: path, message: "too long: dimensions \(shape) need \(expected) bytes, \(file.isRaw ? "the file has \(file.size)" : "the decompressed data has more")")
        }
        return Array(dimensions: dims, bytes: bytes)
    }

    /// Reads an image file and its label file into a dataset with [1, H, W] samples scaled to [0, 1].
    public static func loadImages(images: String, labels: String, classes: Int = 10, budget: MemoryBudget = .standard) throws(EngineError) -> Dataset {
        // Per image byte read: the byte, the dataset's copy, and its copy when the data is split or
        // limited; per label byte: the byte, its Float and the Float's copy.
        let img = try read(images, budget: budget, memoryPerByte: 3), lab = try read(labels, budget: budget, memoryPerByte: 9)
        guard img.dimensions.count == 3 else {
            throw .dataset(path: images, message: "expected a rank-3 image array [count, height, width], found rank \(img.dimensions.count)")
        }
        guard lab.dimensions.count == 1 else {
            throw .dataset(path: labels, message: "expected a rank-1 label array, found rank \(lab.dimensions.count)")
        }
        guard img.dimensions[0] == lab.dimensions[0] else {
            throw .dataset(path: labels, message: "has \(lab.dimensions[0]) labels but \(images) has \(img.dimensions[0]) images")
        }
        guard img.dimensions[0] > 0 else {
            throw .dataset(path: images, message: "has no images (the header says 0); an empty dataset cannot be trained or tested on")
        }
        guard img.dimensions[1] > 0, img.dimensions[2] > 0 else {
            throw .dataset(path: images, message: "has images of \(img.dimensions[1])x\(img.dimensions[2]) pixels; height and width must be at least 1")
        }
        if let bad = lab.bytes.firstIndex(where: { Int($0) >= classes }) {
            throw .dataset(path: labels, message: "label \(lab.bytes[bad]) at index \(bad) is not a class in 0..<\(classes)")
        }
        return Dataset(sampleShape: Shape([1, img.dimensions[1], img.dimensions[2]]), task: .classification(classes: classes),
                       features: Features(unitBytes: img.bytes), targets: lab.bytes.map { Float($0) })
    }
}
