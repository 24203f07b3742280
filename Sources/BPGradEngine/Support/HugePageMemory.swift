import Foundation

/// Raw memory for the engine's large arrays (parameters, gradients, solver state, dataset
/// bytes). Blocks of a megabyte or more start on a 2 MiB boundary and ask the kernel for
/// transparent huge pages before their first touch: a solver update or a GEMM streaming
/// through megabytes, and a minibatch gather reading rows at random from tens of megabytes,
/// otherwise spend part of their time on TLB misses. Where the kernel declines, the memory
/// is ordinary pages and nothing else changes.
enum HugePageMemory {
    static let hugePage = 2 << 20

    /// Uninitialised memory for `bytes` bytes (at least one), aligned to 64 bytes or, when
    /// large, to a huge page. Release it with `free`.
    static func allocate(bytes: Int) -> UnsafeMutableRawPointer {
        let size = max(bytes, 1)
        let alignment = size >= 1 << 20 ? hugePage : 64
        var raw: UnsafeMutableRawPointer?
        // Sizes come from checked arithmetic against the memory budget; failing here means the
        // system is out of memory, which no caller can recover from.
        guard posix_memalign(&raw, alignment, size) == 0, let raw else {
            fatalError("out of memory: could not allocate \(NumberText.bytes(size))")
        }
        if alignment == hugePage { _ = madvise(raw, (size + hugePage - 1) / hugePage * hugePage, MADV_HUGEPAGE) }
        return raw
    }
}
