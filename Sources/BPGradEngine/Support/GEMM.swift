import CDNNL
import Foundation
import Synchronization

/// Every matrix product of the engine: row-major single-precision GEMM through oneDNN
/// (`dnnl_sgemm`, JIT-compiled for the CPU it runs on: AVX-512 here).
///
/// oneDNN replaced OpenBLAS here: on the shapes of a training step (batch 128) its GEMM is
/// faster (0.89-0.93 ms against 1.09-1.24 ms for the Fashion-MNIST MLP's eight products on a
/// Xeon with AVX-512), it picks its kernels from the CPU's instruction set rather than its
/// model number (Debian's OpenBLAS 0.3.21 did not know recent Xeons and needed the program
/// to restart itself with OPENBLAS_CORETYPE), and its convolution primitives are in the same
/// library.
public enum GEMM {
    /// One product as the engine asked for it (`bench --gemm-only` replays a step's list).
    public struct Call: Sendable, Equatable {
        public var transA: Bool, transB: Bool
        public var m: Int, n: Int, k: Int
        public var lda: Int, ldb: Int, ldc: Int
        public var beta: Float

        /// Floats each operand spans in memory.
        public var aCount: Int { (transA ? k : m) * lda }
        public var bCount: Int { (transB ? n : k) * ldb }
        public var cCount: Int { m * ldc }
        public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
    }

    private static let threadCount = Atomic<Int>(1)
    private static let recording = Atomic<Bool>(false)
    private static let recorded = Locked<[Call]>([])
    private static let timingOn = Atomic<Bool>(false)
    private static let spent = Atomic<UInt64>(0)

    /// Whether products add their wall time to `timeSpent` (`bench` turns it on for its step
    /// breakdown, then off; while on, each product costs two clock reads more).
    public static var timing: Bool {
        get { timingOn.load(ordering: .relaxed) }
        set { timingOn.store(newValue, ordering: .relaxed) }
    }

    /// Nanoseconds spent in products since the process started timing them (on every thread).
    public static var timeSpent: UInt64 { spent.load(ordering: .relaxed) }

    /// OpenMP threads each product may use (1 by default: sessions train one solver per thread),
    /// at most one per core: OpenMP would start every thread asked for, and spinning threads
    /// beyond the cores only slow the product down.
    public static var threads: Int {
        get { threadCount.load(ordering: .relaxed) }
        set { threadCount.store(max(1, min(newValue, ProcessInfo.processInfo.activeProcessorCount)), ordering: .relaxed) }
    }

    /// The products `body` asks for, in order (on any thread while it runs).
    public static func record(_ body: () throws -> Void) rethrows -> [Call] {
        recorded.withLock { $0.removeAll() }
        recording.store(true, ordering: .sequentiallyConsistent)
        defer { recording.store(false, ordering: .sequentiallyConsistent) }
        try body()
        return recorded.withLock { $0 }
    }

    /// The oneDNN version and the instruction set its kernels use on this CPU.
    public static var library: String {
        let v = dnnl_version().pointee
        let isa: String
        switch dnnl_get_effective_cpu_isa() {
        case dnnl_cpu_isa_avx512_core_amx: isa = "AVX-512 + AMX"
        case dnnl_cpu_isa_avx512_core_bf16: isa = "AVX-512 (bf16)"
        case dnnl_cpu_isa_avx512_core_vnni: isa = "AVX-512 (VNNI)"
        case dnnl_cpu_isa_avx512_core: isa = "AVX-512"
        case dnnl_cpu_isa_avx2_vnni, dnnl_cpu_isa_avx2: isa = "AVX2"
        case dnnl_cpu_isa_avx: isa = "AVX"
        case dnnl_cpu_isa_sse41: isa = "SSE4.1"
        default: isa = "other"
        }
        return "oneDNN \(v.major).\(v.minor).\(v.patch), \(isa)"
    }

    /// Applies the thread setting to the calling thread (OpenMP's setting is per thread).
    @inline(__always)
    static func applyThreads() {
        omp_set_num_threads(Int32(clamping: threadCount.load(ordering: .relaxed)))
    }

    @inline(__always)
    static func run(_ call: Call, a: UnsafePointer<Float>, b: UnsafePointer<Float>, alpha: Float,
                    c: UnsafeMutablePointer<Float>) {
        applyThreads()
        let status = dnnl_sgemm(call.transA ? 0x54 : 0x4E, call.transB ? 0x54 : 0x4E,
                                Int64(call.m), Int64(call.n), Int64(call.k), alpha, a, Int64(call.lda),
                                b, Int64(call.ldb), call.beta, c, Int64(call.ldc))
        // Only malformed arguments fail, and the layers derive every one from checked shapes.
        precondition(status == dnnl_success, "dnnl_sgemm failed (status \(status.rawValue)) on \(call)")
    }
}

/// Row-major single-precision GEMM: C = alpha * op(A) * op(B) + beta * C.
@inline(__always)
func gemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    guard m > 0, n > 0 else { return }
    if k == 0 {
        if beta == 0 { for r in 0..<m { (c + r * ldc).update(repeating: 0, count: n) } }
        return
    }
    let call = GEMM.Call(transA: transA, transB: transB, m: m, n: n, k: k, lda: lda, ldb: ldb, ldc: ldc, beta: beta)
    if GEMM.isRecording { GEMM.note(call) }
    if GEMM.timing {
        let start = StepPhases.now
        GEMM.run(call, a: a, b: b, alpha: alpha, c: c)
        GEMM.addTime(StepPhases.now &- start)
    } else {
        GEMM.run(call, a: a, b: b, alpha: alpha, c: c)
    }
}

extension GEMM {
    @inline(__always)
    static var isRecording: Bool { recording.load(ordering: .relaxed) }

    static func note(_ call: Call) { recorded.withLock { $0.append(call) } }

    static func addTime(_ ns: UInt64) { spent.add(ns, ordering: .relaxed) }
}
