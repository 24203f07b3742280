import CKernels

/// A dataset's feature values, row-major.
///
/// Image sets keep their pixel bytes (the value is byte / 255, the same Float PyTorch's
/// `ToTensor` gives) and convert as a minibatch is gathered: a quarter of the memory, and a
/// quarter of the bytes a shuffled minibatch reads from random rows, which on the MLP took as
/// long as a tenth of the step's matrix products. Other sets (CSV, synthetic) are Floats.
public struct Features: Sendable {
    private enum Storage: Sendable {
        case floats([Float])
        case unitBytes(ByteArray)
    }

    private let storage: Storage

    public init(_ values: [Float]) { storage = .floats(values) }

    /// Values byte / 255, one per byte.
    public init(unitBytes bytes: some Collection<UInt8>) { storage = .unitBytes(ByteArray(bytes)) }

    private init(_ storage: Storage) { self.storage = storage }

    public var count: Int {
        switch storage {
        case .floats(let v): v.count
        case .unitBytes(let b): b.count
        }
    }

    /// Memory the values take.
    public var byteCount: Int {
        switch storage {
        case .floats(let v): v.count * MemoryLayout<Float>.stride
        case .unitBytes(let b): b.count
        }
    }

    public subscript(i: Int) -> Float {
        switch storage {
        case .floats(let v): v[i]
        case .unitBytes(let b): Float(b[i]) / 255
        }
    }

    /// Every value as a Float (tests and small sets; an image set's copy is four times its size).
    public var values: [Float] {
        switch storage {
        case .floats(let v): return v
        case .unitBytes(let b):
            return [Float](unsafeUninitializedCapacity: b.count) { out, n in
                if let base = out.baseAddress { bpg_unit_bytes_to_float(base, b.pointer, b.count) }
                n = b.count
            }
        }
    }

    /// The rows at `indices` (each `width` values), in that order.
    public func rows(_ indices: [Int], width: Int) -> Features {
        switch storage {
        case .floats(let v):
            var f = [Float](); f.reserveCapacity(indices.count * width)
            for i in indices { f.append(contentsOf: v[(i * width)..<((i + 1) * width)]) }
            return Features(.floats(f))
        case .unitBytes(let b):
            return Features(.unitBytes(ByteArray(rows: indices, width: width, of: b)))
        }
    }

    /// Writes the rows at `indices` (each `width` values) one after another into `dst`.
    public func gather(rows indices: UnsafeBufferPointer<Int>, width: Int, into dst: UnsafeMutablePointer<Float>) {
        guard let idx = indices.baseAddress else { return }
        switch storage {
        case .floats(let v):
            v.withUnsafeBufferPointer { bpg_gather_rows(dst, $0.baseAddress!, idx, indices.count, width) }
        case .unitBytes(let b):
            bpg_gather_unit_bytes(dst, b.pointer, idx, indices.count, width)
        }
    }

    /// Writes the consecutive rows `rows` (each `width` values) into `dst`.
    public func copy(rows: Range<Int>, width: Int, into dst: UnsafeMutablePointer<Float>) {
        let start = rows.lowerBound * width, n = rows.count * width
        guard n > 0 else { return }
        switch storage {
        case .floats(let v):
            v.withUnsafeBufferPointer { dst.update(from: $0.baseAddress! + start, count: n) }
        case .unitBytes(let b):
            bpg_unit_bytes_to_float(dst, b.pointer + start, n)
        }
    }
}
