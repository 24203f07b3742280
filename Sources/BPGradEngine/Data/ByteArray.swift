import Foundation

/// An immutable array of bytes in huge-page memory: the pixels of an IDX image set.
final class ByteArray: Sendable {
    let count: Int
    nonisolated(unsafe) let pointer: UnsafeMutablePointer<UInt8>

    /// Copies `bytes` (the reader's buffer) into memory of its own.
    init(_ bytes: some Collection<UInt8>) {
        count = bytes.count
        pointer = HugePageMemory.allocate(bytes: count).bindMemory(to: UInt8.self, capacity: max(count, 1))
        var i = 0
        let copied = bytes.withContiguousStorageIfAvailable { src -> Bool in
            if let base = src.baseAddress { pointer.update(from: base, count: count) }
            return true
        }
        if copied == nil { for b in bytes { pointer[i] = b; i += 1 } }
    }

    /// The bytes of `rows` rows of `width` bytes each, in that order.
    init(rows: [Int], width: Int, of source: ByteArray) {
        count = rows.count * width
        pointer = HugePageMemory.allocate(bytes: count).bindMemory(to: UInt8.self, capacity: max(count, 1))
        for (k, r) in rows.enumerated() { (pointer + k * width).update(from: source.pointer + r * width, count: width) }
    }

    deinit { free(pointer) }

    subscript(i: Int) -> UInt8 { pointer[i] }
}
