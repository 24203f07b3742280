/// A command a viewer appends to `commands.jsonl` for the writer to apply between two steps.
public struct RunCommand: Sendable, Equatable {
    /// A value as JSON has it, the same as run.json's hyperparameters.
    public typealias Value = RunManifest.HyperparameterValue
    public enum Action: Sendable, Equatable {
        /// Set one hyperparameter.
        case set(name: String, value: Value)
        case pause, resume
    }

    /// A configuration name; nil means every configuration.
    public var solver: String?
    public var action: Action

    public init(solver: String? = nil, _ action: Action) {
        self.solver = solver
        self.action = action
    }

    /// The JSON line (without its newline), keys in the documented order.
    func jsonLine(id: String) throws(RunFileError) -> String {
        var parts = ["\"id\": \(Self.quoted(id))"]
        if let solver { parts.append("\"solver\": \(Self.quoted(solver))") }
        switch action {
        case let .set(name, value):
            guard !name.isEmpty else { throw .invalidCommand(field: "set", message: "the hyperparameter name is empty") }
            parts.append("\"set\": \(Self.quoted(name))")
            switch value {
            case .number(let v):
                guard v.isFinite else { throw .invalidCommand(field: "value", message: "\(v) cannot be written as JSON (a finite number is expected)") }
                parts.append("\"value\": \(NumberText.exact(v))")
            case .bool(let b): parts.append("\"value\": \(b)")
            case .string(let s): parts.append("\"value\": \(Self.quoted(s))")
            }
        case .pause: parts.append("\"command\": \"pause\"")
        case .resume: parts.append("\"command\": \"resume\"")
        }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20 || u.value == 0x2028 || u.value == 0x2029:
                out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}

extension RunCommand {
    /// One line of commands.jsonl as the writer reads it: the command and its id, or why the
    /// line is not a command (with the id when it had one).
    public enum Parsed: Sendable, Equatable {
        case command(RunCommand, id: String?)
        case invalid(String, id: String?)
    }

    /// Nil for a blank line: one of JSON's whitespace only (space, tab, carriage return), the
    /// rule Python's reader follows too.
    public static func parse(_ line: Data) -> Parsed? {
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: " \t\r"))
        guard !text.isEmpty else { return nil }
        guard let object = try? JSONSerialization.jsonObject(with: line), let json = object as? [String: Any] else {
            return .invalid("not a command object: \(EventDetail.excerpt(text, limit: 80))", id: nil)
        }
        let id = (json["id"] as? String) ?? RunManifest.number(json["id"]).map { NumberText.exact($0) }
        var solver: String?
        switch json["solver"] {
        case nil, is NSNull: solver = nil
        case let s as String: solver = s
        default: return .invalid("'solver' is not a configuration name", id: id)
        }
        if let name = json["set"] {
            guard let name = name as? String, !name.isEmpty else { return .invalid("'set' is not a hyperparameter name", id: id) }
            guard let raw = json["value"], let value = RunManifest.hyperparameterValue(raw) else {
                return .invalid("set \(EventDetail.excerpt(name)): no number, boolean or string value", id: id)
            }
            return .command(RunCommand(solver: solver, .set(name: name, value: value)), id: id)
        }
        switch json["command"] as? String {
        case "pause": return .command(RunCommand(solver: solver, .pause), id: id)
        case "resume": return .command(RunCommand(solver: solver, .resume), id: id)
        case let other?: return .invalid("unknown command '\(EventDetail.excerpt(other))' (expected pause or resume)", id: id)
        case nil: return .invalid("neither 'set' nor 'command' in \(EventDetail.excerpt(text, limit: 80))", id: id)
        }
    }
}

import Foundation
