import Foundation

/// Raw memory for the engine's arrays (parameters, gradients, solver state, layer buffers,
/// dataset bytes), aligned to a cache line so that no 64-byte vector load straddles two
/// (malloc aligns to 16). Blocks of a huge page or more start on a 2 MiB boundary and ask the
/// kernel for transparent huge pages for the whole huge pages they span, before the first
/// touch: a minibatch gather reading rows at random from tens of megabytes otherwise spends
/// part of its time on TLB misses. Where the kernel declines, the memory is ordinary pages and
/// nothing else changes.
enum HugePageMemory {
    static let hugePage = 2 << 20

    /// Uninitialised memory for `bytes` bytes (at least one), aligned to 64 bytes or, when
    /// large, to a huge page. Release it with `free`.
    static func allocate(bytes: Int) -> UnsafeMutableRawPointer {
        let size = max(bytes, 1)
        let alignment = size >= hugePage ? hugePage : 64
        var raw: UnsafeMutableRawPointer?
        // Sizes come from checked arithmetic against the memory budget; failing here means the
        // system is out of memory, which no caller can recover from.
        guard posix_memalign(&raw, alignment, size) == 0, let raw else {
            fatalError("out of memory: could not allocate \(NumberText.bytes(size))")
        }
        // Only the huge pages wholly inside the block: the advice must not reach memory that
        // belongs to other allocations.
        if alignment == hugePage { _ = madvise(raw, size / hugePage * hugePage, MADV_HUGEPAGE) }
        return raw
    }
}
