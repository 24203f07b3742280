import Foundation

/// The writer's side of commands.jsonl: reads the lines viewers appended since the last poll
/// and parses each complete one. An unterminated last line waits for its newline.
///
/// Whatever is in the file, a poll costs a bounded amount: a line is at most `lineLimit`
/// bytes (the rest of a longer one is skipped up to its newline and the line is rejected
/// once), a poll keeps at most `pollLimit` bytes of lines, and no byte is scanned twice (the
/// unterminated tail is kept, never rescanned), so a huge line or a flood of blank lines
/// cannot delay later commands by more than a few polls. As `tail -F` does, a file that got
/// shorter than what was read (truncated, or replaced by another file) is read again from its
/// start. The file is opened without following a link and without blocking: a symbolic link,
/// a named pipe or a device is said once (`unusable`) and then ignored.
public final class CommandFeed {
    /// One complete line, or what stops the file from being read.
    public enum Entry: Sendable, Equatable {
        case command(RunCommand, id: String?)
        /// A line that is not a valid command: why, and its id when it had one.
        case invalid(String, id: String?)
        /// commands.jsonl cannot be read as a file of commands; said once, then the file is ignored.
        case unusable(String)
    }

    /// The longest line read, without its newline.
    public static let lineLimit = 65_536
    /// At most this many bytes of lines are kept (and parsed) in one poll.
    public static let pollLimit = 1 << 20
    /// At most this many bytes are read in one poll, most of them skipped (an overlong line):
    /// skipping costs a scan for the newline and nothing else, so it may go further.
    static let skipLimit = 32 << 20
    private static let chunk = 256 << 10

    public let path: String
    /// Bytes of the file consumed: complete lines, plus the unterminated tail held in `line`.
    private var offset: UInt64 = 0
    private var line = [UInt8]()
    /// Inside a line longer than `lineLimit`: bytes are dropped up to its newline.
    private var skipping = false
    private var lineNumber = 0
    private var identity: (device: UInt64, inode: UInt64)?
    private var ignored = false
    private var buffer = [UInt8](repeating: 0, count: CommandFeed.chunk)
    /// The last poll stopped at its limit before the end of the file.
    public private(set) var hasMore = false

    public init(path: String) { self.path = path }

    /// Everything complete that was appended since the last call, up to the poll's limit
    /// (nothing when the file is missing).
    public func read() -> [Entry] {
        hasMore = false
        guard !ignored else { return [] }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            switch errno {
            case ENOENT: return []
            case ELOOP: return refuse("is a symbolic link; commands are read only from the file the writer created")
            default: return refuse("cannot be opened (\(String(cString: strerror(errno))))")
            }
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return refuse("cannot be examined (\(String(cString: strerror(errno))))") }
        if let problem = FileCheck.Problem(mode: st.st_mode) { return refuse(problem.description) }
        let size = UInt64(max(0, st.st_size))
        let id = (UInt64(st.st_dev), UInt64(st.st_ino))
        if size < offset || (identity.map { $0 != id } ?? false) { restart() }
        identity = id

        var entries = [Entry]()
        var kept = 0, total = 0
        while offset < size, kept < Self.pollLimit, total < Self.skipLimit {
            let want = Int(min(UInt64(skipping ? Self.chunk : min(Self.chunk, Self.pollLimit - kept)), size - offset))
            var n: Int
            repeat { n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, off_t(offset)) } } while n < 0 && errno == EINTR
            guard n > 0 else { break }
            offset += UInt64(n)
            total += n
            kept += scan(n, into: &entries)
        }
        hasMore = offset < size
        return entries
    }

    /// Parses the first `count` bytes of `buffer`; returns how many were kept (not skipped).
    private func scan(_ count: Int, into entries: inout [Entry]) -> Int {
        var kept = 0
        buffer.withUnsafeBytes { raw in
            let base = raw.baseAddress!
            var i = 0
            while i < count {
                let newline = memchr(base + i, 10, count - i).map { base.distance(to: UnsafeRawPointer($0)) }
                let end = newline ?? count
                if skipping {
                    if newline != nil { skipping = false; lineNumber += 1 }
                } else if line.count + (end - i) > Self.lineLimit {
                    lineNumber += 1
                    entries.append(.invalid("line \(lineNumber) is longer than 65,536 bytes; skipped up to its end", id: nil))
                    line.removeAll(keepingCapacity: true)
                    skipping = newline == nil
                } else {
                    line.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[i..<end]))
                    // Newlines count too, so that a flood of blank lines is bounded like any other.
                    kept += end - i + (newline == nil ? 0 : 1)
                    if newline != nil {
                        lineNumber += 1
                        if !line.isEmpty, let entry = Self.parse(line) { entries.append(entry) }
                        line.removeAll(keepingCapacity: true)
                    }
                }
                i = end + 1
            }
        }
        return kept
    }

    private func restart() {
        offset = 0
        line.removeAll()
        skipping = false
        lineNumber = 0
    }

    private func refuse(_ why: String) -> [Entry] {
        ignored = true
        return [.unusable("\(path): \(why); commands are ignored for the rest of the run")]
    }

    /// One line; nil for a blank one.
    static func parse(_ line: [UInt8]) -> Entry? {
        switch RunCommand.parse(Data(line)) {
        case nil: nil
        case let .command(c, id): .command(c, id: id)
        case let .invalid(why, id): .invalid(why, id: id)
        }
    }

    // MARK: Until Session routes through `RunDirectory.pollCommands`

    public enum Target: Sendable, Equatable { case all, named(String) }

    public struct Item: Sendable, Equatable {
        public var target: Target
        public var command: SessionCommand
    }

    /// `read()` as commands for one configuration or for all (Session's present loop).
    public func poll() -> [Item] {
        read().map { entry in
            switch entry {
            case let .unusable(why): return Item(target: .all, command: .reject(why, origin: nil))
            case let .invalid(why, id): return Item(target: .all, command: .reject(why, origin: id))
            case let .command(c, id):
                let target: Target = c.solver.map { .named($0) } ?? .all
                switch c.action {
                case .pause: return Item(target: target, command: .pause)
                case .resume: return Item(target: target, command: .resume)
                case let .set(name, value): return Item(target: target, command: .set(HyperKey(name), value.hyperValue, origin: id))
                }
            }
        }
    }
}
