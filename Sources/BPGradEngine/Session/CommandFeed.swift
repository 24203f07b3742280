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

    private struct Line: Decodable {
        var id: JSONScalar?
        var solver: String?
        var set: String?
        var value: JSONScalar?
        var command: String?
    }

    /// One line; nil for a blank one. A line that is not a valid command becomes `.reject`.
    static func parse(_ line: Data) -> Item? {
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        guard let l = try? JSONDecoder().decode(Line.self, from: line) else {
            return Item(target: .all, command: .reject("not a command object: \(text.prefix(80))", origin: nil))
        }
        let id: String? = l.id.map { if case .string(let s) = $0 { s } else { $0.hyperValue.description } }
        let target: Target = l.solver.map { .named($0) } ?? .all
        if let name = l.set {
            guard let value = l.value else { return Item(target: target, command: .reject("set \(name): no value", origin: id)) }
            return Item(target: target, command: .set(HyperKey(name), value.hyperValue, origin: id))
        }
        switch l.command {
        case "pause": return Item(target: target, command: .pause)
        case "resume": return Item(target: target, command: .resume)
        case let other?: return Item(target: target, command: .reject("unknown command '\(other)' (expected pause or resume)", origin: id))
        case nil: return Item(target: target, command: .reject("neither 'set' nor 'command' in \(text.prefix(80))", origin: id))
        }
    }
}
