import CYaml

/// Limits a preset's YAML must keep before Yams composes it into nodes.
///
/// Yams resolves an alias (`*a`) to the node its anchor (`&a`) marks, so nine lines of nested
/// aliases describe a billion values: converting them into a `PresetTree` ran to 6 GB, and an
/// alias used as a mapping key made Yams hash the whole expansion (a hang). This pass reads
/// libyaml's events (the parser Yams itself wraps; its module comes with the Yams package)
/// and computes each node's expanded size without expanding anything: a scalar counts 1, a
/// collection 1 plus its children, an alias the size of its anchor. It refuses a file that
/// expands past `maxNodes`, nests deeper than `maxDepth`, or uses a list or mapping as a key.
/// Syntax errors are left to Yams, whose messages name line and column.
enum YAMLLimits {
    /// A preset file is a page of YAML; this leaves room for comments.
    static let maxBytes = 1 << 20
    /// Values after aliases are expanded; the shipped presets have under 100.
    static let maxNodes = 10_000
    /// Lists and mappings inside each other; the shipped presets nest 4 deep.
    static let maxDepth = 64

    static func check(_ yaml: String, file: String) throws(EngineError) {
        let bytes = yaml.utf8.count
        guard bytes <= maxBytes else {
            throw .preset(file: file, line: nil, field: "", message: "is \(NumberText.bytes(bytes)), more than the \(NumberText.bytes(maxBytes)) a preset may be")
        }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        var text = Array(yaml.utf8)
        var failure: EngineError?
        text.withUnsafeMutableBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            do throws(EngineError) { try walk(&parser, file: file) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    private struct Frame {
        var isMapping: Bool
        var anchor: String?
        var line: Int
        /// Expanded nodes so far, capped just above `maxNodes`.
        var size = 1
        /// In a mapping: the next child is a key.
        var expectingKey = true
    }

    private static func walk(_ parser: inout yaml_parser_t, file: String) throws(EngineError) {
        var anchors = [String: (size: Int, isScalar: Bool)]()
        var stack = [Frame]()
        var sawAlias = false
        func anchorName(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? { p.map { String(cString: $0) } }
        func add(size: Int, isScalar: Bool, line: Int) throws(EngineError) {
            guard !stack.isEmpty else { return }
            if stack[stack.count - 1].isMapping {
                if stack[stack.count - 1].expectingKey, !isScalar {
                    throw .preset(file: file, line: line, field: "",
                                  message: "a mapping key must be a plain value such as 'batch_size', not a list or a mapping")
                }
                stack[stack.count - 1].expectingKey.toggle()
            }
            stack[stack.count - 1].size = min(stack[stack.count - 1].size + size, maxNodes + 1)
            guard stack[stack.count - 1].size <= maxNodes else {
                let how = sawAlias ? " once its YAML aliases (*name, repeating what &name marks) are expanded" : ""
                throw .preset(file: file, line: nil, field: "", message: "has more than \(maxNodes) values\(how); a preset may have at most \(maxNodes)")
            }
        }
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else {
                // libyaml's scanner runs ahead of the events and stops at 1000 flow levels
                // itself, with a message about its own API; its flow level says it was that.
                if parser.flow_level > Int32(maxDepth) {
                    throw .preset(file: file, line: Int(parser.problem_mark.line) + 1, field: "", message: "nests lists and mappings more than \(maxDepth) deep")
                }
                return
            }
            defer { yaml_event_delete(&event) }
            let line = Int(event.start_mark.line) + 1
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return
            case YAML_SCALAR_EVENT:
                if let a = anchorName(event.data.scalar.anchor) { anchors[a] = (1, true) }
                try add(size: 1, isScalar: true, line: line)
            case YAML_ALIAS_EVENT:
                sawAlias = true
                let target = anchorName(event.data.alias.anchor).flatMap { anchors[$0] } ?? (1, true)
                try add(size: target.size, isScalar: target.isScalar, line: line)
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                guard stack.count < maxDepth else {
                    throw .preset(file: file, line: line, field: "", message: "nests lists and mappings more than \(maxDepth) deep")
                }
                let isMapping = event.type == YAML_MAPPING_START_EVENT
                let anchor = isMapping ? anchorName(event.data.mapping_start.anchor) : anchorName(event.data.sequence_start.anchor)
                stack.append(Frame(isMapping: isMapping, anchor: anchor, line: line))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let done = stack.popLast() else { return }
                if let a = done.anchor { anchors[a] = (done.size, false) }
                try add(size: done.size, isScalar: false, line: done.line)
            default:
                break
            }
        }
    }
}
