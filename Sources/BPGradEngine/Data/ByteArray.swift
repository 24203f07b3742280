import Foundation

/// An immutable array of bytes in `HugePageMemory` (huge pages from 2 MiB on): the pixels of
/// an IDX image set.
final class ByteArray: Sendable {
    let count: Int
    /// Written only while `init` runs, read-only after: safe to share between solver queues.
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
        let available = width == 0 ? 0 : source.count / width
        for (k, r) in rows.enumerated() {
            precondition(r >= 0 && r < available, "row \(r) of \(available)")
            (pointer + k * width).update(from: source.pointer + r * width, count: width)
        }
    }

    deinit { HugePageMemory.release(pointer, bytes: count) }

    subscript(i: Int) -> UInt8 {
        precondition(i >= 0 && i < count, "index \(i) of \(count)")
        return pointer[i]
    }
}
