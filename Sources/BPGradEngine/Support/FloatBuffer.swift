import Foundation

/// A fixed-size, zero-initialised Float32 buffer owned by one layer, network or solver.
///
/// Hot loops work on `pointer` directly: the buffer is allocated once (per batch size)
/// and reused, so a training step allocates nothing.
public final class FloatBuffer {
    public let count: Int
    public let pointer: UnsafeMutablePointer<Float>

    public init(count: Int) {
        precondition(count >= 0, "buffer size must be non-negative")
        self.count = count
        pointer = HugePageMemory.allocate(bytes: max(count, 1) * MemoryLayout<Float>.stride)
            .bindMemory(to: Float.self, capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit { HugePageMemory.release(pointer, bytes: max(count, 1) * MemoryLayout<Float>.stride) }

    public subscript(i: Int) -> Float {
        get { pointer[i] }
        set { pointer[i] = newValue }
    }

    public func zero() { pointer.update(repeating: 0, count: count) }

    /// An independent buffer with the same contents (solver state for a fork).
    public func clone() -> FloatBuffer {
        let b = FloatBuffer(count: count)
        b.pointer.update(from: pointer, count: count)
        return b
    }

    public var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}
