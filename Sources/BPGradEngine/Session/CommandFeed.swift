import Foundation

/// The writer's side of commands.jsonl: reads the lines viewers appended since the last
/// poll, and turns each complete one into a command for one configuration or for all.
/// An unterminated last line is left for the next poll.
public final class CommandFeed {
    public enum Target: Sendable, Equatable { case all, named(String) }

    public struct Item: Sendable, Equatable {
        public var target: Target
        public var command: SessionCommand
    }

    public let path: String
    private var offset: UInt64 = 0
    private var partial = Data()

    public init(path: String) { self.path = path }

    /// Everything complete that was appended since the last call (nothing when the file is missing).
    public func poll() -> [Item] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        guard let end = try? handle.seekToEnd(), end > offset else { return [] }
        guard (try? handle.seek(toOffset: offset)) != nil, let data = try? handle.read(upToCount: Int(min(end - offset, 1 << 20))) else { return [] }
        offset += UInt64(data.count)
        partial.append(data)
        var items = [Item]()
        while let newline = partial.firstIndex(of: 10) {
            let line = partial[partial.startIndex..<newline]
            partial.removeSubrange(partial.startIndex...newline)
            if let item = Self.parse(Data(line)) { items.append(item) }
        }
        return items
    }

    /// One line; nil for a blank one. A line that is not a valid command becomes `.reject`.
    static func parse(_ line: Data) -> Item? {
        switch RunCommand.parse(line) {
        case nil: return nil
        case let .invalid(why, id): return Item(target: .all, command: .reject(why, origin: id))
        case let .command(c, id):
            let target: Target = c.solver.map { .named($0) } ?? .all
            switch c.action {
            case .pause: return Item(target: target, command: .pause)
            case .resume: return Item(target: target, command: .resume)
            case let .set(name, value):
                return Item(target: target, command: .set(HyperKey(name), value.hyperValue, origin: id))
            }
        }
    }
}
