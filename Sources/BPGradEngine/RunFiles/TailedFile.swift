import Foundation

/// One file read a little at a time as another process appends to it.
///
/// The offset always sits just after a newline: a read hands out only complete lines and
/// leaves an unterminated last line in the file, to be read again once its newline arrives
/// (a partial line is short, so reading it twice costs nothing, and no half row is kept in
/// memory). Between reads the file is checked by path: a new inode (replaced), a size below
/// the offset (truncated) or a byte before the offset that is no longer the newline read
/// there (rewritten in place) starts it again from the top, and the caller is told.
struct TailedFile: Sendable {
    enum Reset: Sendable, Equatable { case truncated, replaced, removed }

    /// The outcome of one read.
    struct Chunk {
        /// Complete lines (each ending in `\n`), possibly empty.
        var bytes: ArraySlice<UInt8> = []
        /// Set when the file started over; `bytes` then come from its start.
        var reset: Reset?
        /// More complete data is waiting beyond this read's budget.
        var more = false
        /// A line longer than the longest allowed was dropped (counted once per line).
        var droppedLongLine = false
        /// 1-based number of the first line in `bytes`.
        var firstLine = 1
        /// Why the path is not read (a FIFO, a device, a folder, a link); nil when it is a
        /// regular file or missing.
        var refused: String?
    }

    /// What `openRegular` found at a path.
    enum Opened {
        case file(fd: Int32, info: stat)
        case missing
        /// Not opened, or closed again, and why, in words ("is a named pipe (FIFO), ...").
        case refused(String)
    }

    /// Opens a file of a run directory for reading, refusing anything but a regular file: the
    /// path is examined with lstat before it is opened (a FIFO would block open(2) forever, a
    /// device could feed bytes for ever, and a link planted in a shared folder could point
    /// anywhere), then opened with O_NONBLOCK and O_NOFOLLOW and checked again with fstat, so
    /// a swap between the two checks is refused too. The caller closes the descriptor.
    static func openRegular(_ path: String) -> Opened {
        var st = stat()
        guard lstat(path, &st) == 0 else {
            switch errno {
            case ENOENT, ENOTDIR: return .missing
            case EACCES: return .refused("cannot be reached: permission denied on a folder of the path")
            default: return .refused("cannot be examined (\(String(cString: strerror(errno))))")
            }
        }
        if let why = refusal(st.st_mode) { return .refused(why) }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW)
        guard fd >= 0 else {
            switch errno {
            case ENOENT: return .missing
            case ELOOP: return .refused(refusal(S_IFLNK)!)
            case EACCES: return .refused("cannot be read: permission denied")
            default: return .refused("cannot be opened (\(String(cString: strerror(errno))))")
            }
        }
        guard fstat(fd, &st) == 0 else { close(fd); return .refused("cannot be examined (\(String(cString: strerror(errno))))") }
        if let why = refusal(st.st_mode) { close(fd); return .refused(why) }
        return .file(fd: fd, info: st)
    }

    /// Why a file of this type is not read; nil for a regular file.
    static func refusal(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: nil
        case S_IFLNK: "is a symbolic link; links in a run directory are not followed"
        case S_IFIFO: "is a named pipe (FIFO), not a regular file; it is not read"
        case S_IFDIR: "is a directory, not a file; it is not read"
        case S_IFCHR: "is a character device, not a regular file; it is not read"
        case S_IFBLK: "is a block device, not a regular file; it is not read"
        case S_IFSOCK: "is a socket, not a regular file; it is not read"
        default: "is not a regular file; it is not read"
        }
    }

    let path: String
    /// The longest line kept; longer ones are skipped as malformed rather than buffered.
    let maxLineBytes: Int
    private(set) var offset: Int64 = 0
    private(set) var linesRead = 0
    private var identity: (device: UInt64, inode: UInt64)?
    private var skippingLongLine = false
    /// The file's last modification time seen (seconds since 1970), for "writer quiet for".
    private(set) var modified: Double?

    init(path: String, maxLineBytes: Int = 1 << 20) {
        self.path = path
        self.maxLineBytes = maxLineBytes
    }

    /// Reads at most `budget` new bytes (at least one line's worth is always allowed).
    mutating func read(budget: Int) -> Chunk {
        var chunk = Chunk()
        let fd: Int32, st: stat
        let opened = Self.openRegular(path)
        switch opened {
        case .file(let f, let info): fd = f; st = info
        case .missing, .refused:
            // What was read from the file no longer stands: the path is gone or now names
            // something that is not read.
            if case .refused(let why) = opened { chunk.refused = why }
            if identity != nil { chunk.reset = .removed; restart() }
            identity = nil
            return chunk
        }
        defer { close(fd) }
        let id = (device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
        if let old = identity, old != id {
            chunk.reset = .replaced; restart()
        } else if Int64(st.st_size) < offset {
            chunk.reset = .truncated; restart()
        } else if offset > 0, !skippingLongLine {
            var byte: UInt8 = 0
            if pread(fd, &byte, 1, off_t(offset - 1)) != 1 || byte != 10 { chunk.reset = .truncated; restart() }
        }
        identity = id
        modified = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
        chunk.firstLine = linesRead + 1

        let end = Int64(st.st_size)
        guard end > offset else { return chunk }
        let readStart = offset
        var buffer = readBytes(fd, count: Int(min(end - offset, Int64(max(budget, 4096)))))
        var start = 0
        if skippingLongLine {
            guard let nl = buffer.firstIndex(of: 10) else {
                offset += Int64(buffer.count)
                chunk.more = offset < end
                return chunk
            }
            start = nl + 1
            skippingLongLine = false
            linesRead += 1
            chunk.firstLine = linesRead + 1
        }
        var last = buffer.lastIndex(of: 10).flatMap { $0 >= start ? $0 : nil }
        if last == nil, start == 0, offset + Int64(buffer.count) < end, buffer.count <= maxLineBytes {
            // The budget ended inside the first line: read that line whole, up to the limit.
            buffer = readBytes(fd, count: Int(min(end - offset, Int64(maxLineBytes + 1))))
            last = buffer.lastIndex(of: 10)
        }
        guard let last else {
            if buffer.count - start > maxLineBytes {
                // No newline within the longest allowed line: skip to the next newline
                // rather than buffer a line of any length.
                skippingLongLine = true
                chunk.droppedLongLine = true
                offset += Int64(buffer.count)
                chunk.more = offset < end
            } else {
                offset += Int64(start)
                chunk.more = readStart + Int64(buffer.count) < end
            }
            return chunk
        }
        offset += Int64(last + 1)
        chunk.bytes = buffer[start...last]
        linesRead += Self.countNewlines(chunk.bytes)
        chunk.more = readStart + Int64(buffer.count) < end
        return chunk
    }

    private static func countNewlines(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.withUnsafeBufferPointer { b in
            guard var p = b.baseAddress.map(UnsafeRawPointer.init) else { return 0 }
            let end = p + b.count
            var n = 0
            while p < end, let hit = memchr(p, 10, end - p) {
                n += 1
                p = UnsafeRawPointer(hit) + 1
            }
            return n
        }
    }

    /// Up to `count` bytes from the offset (fewer at the end of the file or on an error).
    private func readBytes(_ fd: Int32, count: Int) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, count - got, off_t(offset) + off_t(got)) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { break }
            got += n
        }
        if got < count { buffer.removeLast(count - got) }
        return buffer
    }

    private mutating func restart() {
        offset = 0
        linesRead = 0
        skippingLongLine = false
        modified = nil
    }
}
