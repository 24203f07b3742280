import Foundation

/// A value behind a lock, shared between threads.
///
/// It wraps `NSLock` (a pthread mutex) rather than `Synchronization.Mutex`, whose futex-based
/// Linux implementation ThreadSanitizer cannot see, so the concurrency tests can run clean
/// under `--sanitize=thread`. All access goes through `withLock`, which is what makes the
/// `@unchecked Sendable` true.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    @discardableResult
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
