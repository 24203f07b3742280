import Foundation

/// Raw memory for the engine's own buffers (`FloatBuffer`: parameters, gradients, solver state,
/// layer buffers; `ByteArray`: image pixels), aligned to a cache line so that no 64-byte vector
/// load straddles two (malloc aligns to 16).
///
/// Blocks of a huge page or more are mapped on their own, start on a 2 MiB boundary, and ask
/// the kernel for transparent huge pages for the huge pages wholly inside them, before the
/// first touch: a minibatch gather reading rows at random from tens of megabytes otherwise
/// spends part of its time on TLB misses. Their own mapping keeps the advice from outliving
/// them: memory returned to malloc's heap with the advice still on it would turn later small
/// allocations into huge pages. Where the kernel declines, the pages are ordinary ones.
enum HugePageMemory {
    static let hugePage = 2 << 20
    private static let smallPage = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// Memory for `bytes` bytes (at least one), aligned to 64 bytes or, from a huge page on, to
    /// one; uninitialised when small, zero when mapped. Give it back with `release`.
    static func allocate(bytes: Int) -> UnsafeMutableRawPointer {
        let size = max(bytes, 1)
        // Sizes come from checked arithmetic against the memory budget; failing here means the
        // system is out of memory, which no caller can recover from.
        guard size >= hugePage else {
            var raw: UnsafeMutableRawPointer?
            guard posix_memalign(&raw, 64, size) == 0, let raw else { outOfMemory(size) }
            return raw
        }
        let length = mapped(size)
        // Map a huge page more than needed, then unmap the slack before the first 2 MiB boundary
        // and after the block's end.
        guard let area = mmap(nil, length + hugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              area != MAP_FAILED else { outOfMemory(size) }
        let start = Int(bitPattern: area), aligned = (start + hugePage - 1) / hugePage * hugePage
        if aligned > start { munmap(area, aligned - start) }
        let tail = start + length + hugePage - (aligned + length)
        if tail > 0 { munmap(UnsafeMutableRawPointer(bitPattern: aligned + length), tail) }
        let block = UnsafeMutableRawPointer(bitPattern: aligned)!
        _ = madvise(block, size / hugePage * hugePage, MADV_HUGEPAGE)
        return block
    }

    /// Returns a block from `allocate(bytes:)` with the same byte count.
    static func release(_ block: UnsafeMutableRawPointer, bytes: Int) {
        let size = max(bytes, 1)
        if size >= hugePage { munmap(block, mapped(size)) } else { free(block) }
    }

    private static func mapped(_ size: Int) -> Int { (size + smallPage - 1) / smallPage * smallPage }

    private static func outOfMemory(_ size: Int) -> Never {
        fatalError("out of memory: could not allocate \(NumberText.bytes(size))")
    }
}
