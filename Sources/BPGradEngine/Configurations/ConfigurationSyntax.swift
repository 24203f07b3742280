/// The compact, shell-friendly way to name configurations on the command line and in presets:
///
///     bpgrad, bpgrad:lipschitz=50, adam:lr=3e-4:beta2=0.99@fast
///
/// Configurations are separated by commas (spaces around them are ignored); each is a solver
/// kind, then any number of `:key=value` overrides (a key is a hyperparameter's name or its
/// symbol, such as `L` for lipschitz), then optionally `@label`. No character in it means
/// anything to a POSIX shell, so it needs quotes only when it contains spaces.
public enum ConfigurationSyntax {
    /// Parses a list; `field` names where it came from in errors (`--solvers`, a preset line).
    public static func parseList(_ text: String, field: String) throws(EngineError) -> [ConfigurationSpec] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard items.contains(where: { !$0.isEmpty }) else {
            throw .invalidValue(field: field, message: "names no configuration; expected for example \"bpgrad, bpgrad:lipschitz=50, adam:lr=3e-4\"")
        }
        var out = [ConfigurationSpec]()
        for (i, item) in items.enumerated() {
            guard !item.isEmpty else {
                throw .invalidValue(field: field, message: "configuration \(i + 1) is empty (two commas in a row, or a comma at the end?)")
            }
            out.append(try parse(item, field: field))
        }
        return out
    }

    /// Parses one configuration: `kind[:key=value]...[@label]`.
    public static func parse(_ text: String, field: String) throws(EngineError) -> ConfigurationSpec {
        let item = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var body = item, label: String?
        if let at = item.firstIndex(of: "@") {
            body = String(item[..<at]).trimmingCharacters(in: .whitespaces)
            let l = String(item[item.index(after: at)...]).trimmingCharacters(in: .whitespaces)
            guard !l.isEmpty else {
                throw .invalidValue(field: field, message: "'\(item)': the label after '@' is empty; write for example bpgrad:lipschitz=50@steep")
            }
            guard l.count <= 40, !l.contains("@") else {
                throw .invalidValue(field: field, message: "'\(item)': a label is at most 40 characters with no '@', found '\(l)'")
            }
            label = l
        }
        let parts = body.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let solver = parts.first, !solver.isEmpty else {
            throw .invalidValue(field: field, message: "'\(item)' does not start with a solver name (one of \(SolverRegistry.kindList))")
        }
        guard solver.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw .invalidValue(field: field, message: "'\(item)': '\(solver)' is not a solver name; known solvers: \(SolverRegistry.kindList)")
        }
        var overrides = [ConfigurationSpec.Override]()
        for part in parts.dropFirst() {
            guard let eq = part.firstIndex(of: "="), eq != part.startIndex, part.index(after: eq) != part.endIndex else {
                throw .invalidValue(field: field, message: "'\(item)': expected key=value after ':', found '\(part)' (for example \(solver):lipschitz=50)")
            }
            let key = String(part[..<eq]).trimmingCharacters(in: .whitespaces)
            let value = String(part[part.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
            guard !overrides.contains(where: { $0.key == key }) else {
                throw .invalidValue(field: field, message: "'\(item)': '\(key)' is given twice")
            }
            overrides.append(.init(key: key, value: value))
        }
        return ConfigurationSpec(solver: solver, overrides: overrides, label: label)
    }
}

import Foundation
