import CKernels
import Foundation

/// Reference workloads for `bench`, measured in the same run as the training step so that the
/// ratios mean something on a shared, noisy machine: the step's matrix products alone (the
/// floor no engine on the same GEMM can go below), and streaming memory kernels (the floor of
/// an elementwise solver update).
public enum KernelBenchmark {
    /// The products of one training step, replayed on buffers of their own.
    public final class GEMMReplay {
        public let calls: [GEMM.Call]
        private let buffers: [(a: FloatBuffer, b: FloatBuffer, c: FloatBuffer)]

        /// Each product gets its own operands (as in the step, where each layer has its own),
        /// filled with values like activations and gradients.
        public init(calls: [GEMM.Call]) {
            self.calls = calls
            var rng = SeededGenerator(seed: 7, stream: 0x6E)
            func filled(_ n: Int) -> FloatBuffer {
                let b = FloatBuffer(count: n)
                for i in 0..<n { b[i] = Float(rng.uniform(-0.5, 0.5)) }
                return b
            }
            buffers = calls.map { (filled($0.aCount), filled($0.bCount), filled($0.cCount)) }
        }

        /// Multiply-add flops of one replay.
        public var flops: Double { calls.reduce(0) { $0 + $1.flops } }

        /// Runs every product once, in the step's order. Beta 1 accumulates into C as in the
        /// step; alpha is tiny so the sums stay finite however often this runs.
        public func run() {
            for (call, buf) in zip(calls, buffers) {
                GEMM.run(call, a: buf.a.pointer, b: buf.b.pointer, alpha: 1e-6, c: buf.c.pointer)
            }
        }
    }

    /// STREAM-style copy (8 bytes per element) and triad a = b + s*c (12 bytes per element,
    /// counted as STREAM does: without the write-allocate read of a).
    public final class Stream {
        public let count: Int
        private let a: FloatBuffer, b: FloatBuffer, c: FloatBuffer

        public init(count: Int) {
            self.count = count
            a = FloatBuffer(count: count); b = FloatBuffer(count: count); c = FloatBuffer(count: count)
            for i in 0..<count { b[i] = Float(i % 7); c[i] = Float(i % 5) }
        }

        public func copy() { bpg_stream_copy(a.pointer, b.pointer, count) }
        public func triad() { bpg_stream_triad(a.pointer, b.pointer, c.pointer, 0.5, count) }
        public var copyBytes: Double { 8 * Double(count) }
        public var triadBytes: Double { 12 * Double(count) }
    }

    /// Seconds of wall time and of this thread's CPU time.
    public struct Clock {
        public var wall: Double
        public var cpu: Double

        public static func now() -> Clock {
            var ts = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
            return Clock(wall: Double(DispatchTime.now().uptimeNanoseconds) / 1e9,
                         cpu: Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9)
        }

        public static func - (a: Clock, b: Clock) -> Clock { Clock(wall: a.wall - b.wall, cpu: a.cpu - b.cpu) }
    }

    /// Times `body` `repeats` times in a row; returns seconds per repeat.
    public static func time(repeats: Int, _ body: () -> Void) -> Clock {
        let start = Clock.now()
        for _ in 0..<repeats { body() }
        let d = Clock.now() - start
        return Clock(wall: d.wall / Double(repeats), cpu: d.cpu / Double(repeats))
    }
}
