import Yams

/// A parsed preset before interpretation: YAML's mappings, lists and scalars with the line
/// each came from, so every later error can point at the file and line.
indirect enum PresetTree: Sendable {
    case scalar(String, line: Int?)
    case list([PresetTree], line: Int?)
    case map([(key: String, value: PresetTree)], line: Int?)

    var line: Int? {
        switch self {
        case .scalar(_, let l), .list(_, let l), .map(_, let l): l
        }
    }

    var kindName: String {
        switch self {
        case .scalar: "a single value"
        case .list: "a list"
        case .map: "a mapping"
        }
    }

    /// Parses YAML text; syntax errors name the line and column. Text that is too large, nests
    /// too deep, expands too far through aliases or has a non-scalar key is refused first.
    static func parse(yaml: String, file: String) throws(EngineError) -> PresetTree {
        try YAMLLimits.check(yaml, file: file)
        let node: Node?
        do { node = try Yams.compose(yaml: yaml) } catch let error as YamlError {
            throw EngineError.preset(file: file, line: nil, field: "", message: "is not valid YAML: \(yamlProblem(error))")
        } catch {
            throw EngineError.preset(file: file, line: nil, field: "", message: "is not valid YAML: \(error)")
        }
        guard let node else { throw .preset(file: file, line: nil, field: "", message: "is empty") }
        return convert(node)
    }

    private static func yamlProblem(_ error: YamlError) -> String {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return "\(problem) at line \(mark.line), column \(mark.column)"
        default:
            return String(describing: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
        }
    }

    private static func convert(_ node: Node) -> PresetTree {
        let line = node.mark?.line
        switch node {
        case .scalar(let s): return .scalar(s.string, line: line)
        case .sequence(let seq): return .list(seq.map(convert), line: line)
        // Keys are scalars: YAMLLimits refuses the rest before Yams sees them.
        case .mapping(let map): return .map(map.map { (key: $0.key.string ?? "", value: convert($0.value)) }, line: line)
        case .alias: return .scalar("", line: line)
        }
    }

    /// Sets the value at a dotted path, creating mappings on the way (list items by index).
    mutating func set(path: [String], to value: PresetTree, fullKey: String) throws(EngineError) {
        guard let head = path.first else { self = value; return }
        let rest = Array(path.dropFirst())
        switch self {
        case .map(var entries, let line):
            if let i = entries.firstIndex(where: { $0.key == head }) {
                try entries[i].value.set(path: rest, to: value, fullKey: fullKey)
            } else {
                var fresh = PresetTree.map([], line: nil)
                try fresh.set(path: rest, to: value, fullKey: fullKey)
                entries.append((key: head, value: fresh))
            }
            self = .map(entries, line: line)
        case .list(var items, let line):
            guard let i = Int(head), items.indices.contains(i) else {
                throw .invalidValue(field: "--set \(fullKey)", message: "'\(head)' is not an index of this list (0 to \(items.count - 1))")
            }
            if case .scalar(let name, let l) = items[i], !rest.isEmpty {
                // A bare layer name such as `tanh` takes options once one is set.
                items[i] = .map([(key: name, value: .map([], line: l))], line: l)
            }
            try items[i].set(path: rest, to: value, fullKey: fullKey)
            self = .list(items, line: line)
        case .scalar:
            throw .invalidValue(field: "--set \(fullKey)", message: "'\(head)' is below a single value, which has no fields")
        }
    }

    /// The same tree with no line numbers: values from `--set` have no place in the file.
    var withoutLines: PresetTree {
        switch self {
        case .scalar(let s, _): .scalar(s, line: nil)
        case .list(let items, _): .list(items.map(\.withoutLines), line: nil)
        case .map(let entries, _): .map(entries.map { (key: $0.key, value: $0.value.withoutLines) }, line: nil)
        }
    }

    /// Back to a Yams node, for writing the resolved preset into a run directory.
    var node: Node {
        switch self {
        case .scalar(let s, _): return Node(s)
        case .list(let items, _): return .sequence(.init(items.map(\.node)))
        case .map(let entries, _): return .mapping(.init(entries.map { (Node($0.key), $0.value.node) }))
        }
    }
}
