import Foundation
import XCTest

/// Runs `body` with a file-size limit of `limit` bytes and SIGXFSZ ignored, so a write past
/// it fails with EFBIG (as a full disk would fail it) instead of killing the test process.
func withFileSizeLimit<T>(_ limit: Int, _ body: () throws -> T) rethrows -> T {
    var old = rlimit()
    getrlimit(Int32(RLIMIT_FSIZE.rawValue), &old)
    let previous = signal(SIGXFSZ, SIG_IGN)
    var capped = old
    capped.rlim_cur = rlim_t(limit)
    setrlimit(Int32(RLIMIT_FSIZE.rawValue), &capped)
    defer { setrlimit(Int32(RLIMIT_FSIZE.rawValue), &old); signal(SIGXFSZ, previous) }
    return try body()
}

/// Runs `body` on a thread of its own and fails (instead of hanging the suite) when it does not
/// return within `seconds`; `unblock` then frees the thread (opens a FIFO's other end, say).
func withinTime(_ seconds: Double, unblock: () -> Void = {}, _ body: @escaping @Sendable () -> Void,
                file: StaticString = #filePath, line: UInt = #line) {
    let done = DispatchSemaphore(value: 0)
    Thread { body(); done.signal() }.start()
    if done.wait(timeout: .now() + seconds) == .timedOut {
        XCTFail("did not return within \(seconds) s", file: file, line: line)
        unblock()
        _ = done.wait(timeout: .now() + 5)
    }
}
