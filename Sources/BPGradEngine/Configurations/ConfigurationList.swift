/// Turns what a user wrote into configurations: checks each against its solver's schema on
/// top of the preset's settings for that kind, and gives each a readable label and a name
/// that is unique and safe as a file name.
public enum ConfigurationList {
    /// - Parameters:
    ///   - base: the preset's settings for a kind (its defaults when the preset says nothing).
    ///   - field: where the specs came from, for errors (`--solvers`, `preset.yaml:configurations`).
    public static func resolve(_ specs: [ConfigurationSpec], base: (SolverKind) -> Hyperparameters,
                               field: String, limit: Int = Configuration.limit) throws(EngineError) -> [Configuration] {
        guard !specs.isEmpty else { throw .invalidValue(field: field, message: "names no configuration") }
        guard specs.count <= limit else {
            throw .invalidValue(field: field, message: "names \(specs.count) configurations; \(limit == Configuration.limit ? "a session runs" : "a sweep runs") at most \(limit)" + (limit == Configuration.limit ? " (each trains on its own queue and the cores share them)" : ""))
        }
        var resolved = [(hyper: Hyperparameters, label: String)]()
        for spec in specs {
            let descriptor = try SolverRegistry.descriptor(named: spec.solver, field: "\(field) '\(spec.text)'")
            var hyper = base(descriptor.kind)
            var labelParts = [descriptor.displayName]
            var given = Set<HyperKey>(), changes = [(key: HyperKey, value: HyperValue)]()
            for o in spec.overrides {
                guard let key = descriptor.schema.key(named: o.key) else {
                    let known = descriptor.schema.infos.map { $0.symbol == $0.key.rawValue ? $0.key.rawValue : "\($0.key) (\($0.symbol))" }
                    throw .invalidValue(field: "\(field) '\(spec.text)'",
                                        message: "\(descriptor.kind) has no hyperparameter '\(o.key)'; it has \(known.joined(separator: ", "))")
                }
                guard given.insert(key).inserted else {
                    throw .invalidValue(field: "\(field) '\(spec.text)'", message: "'\(key)' is given twice")
                }
                do { changes.append((key, try descriptor.schema.info(key).parse(o.value, solver: descriptor.kind.rawValue))) } catch {
                    throw .invalidValue(field: "\(field) '\(spec.text)'", message: error.message)
                }
                let symbol = (try? descriptor.schema.info(key).symbol) ?? key.rawValue
                labelParts.append("\(symbol)=\(o.value)")
            }
            do { try hyper.set(changes) } catch { throw .invalidValue(field: "\(field) '\(spec.text)'", message: error.message) }
            resolved.append((hyper, spec.label ?? labelParts.joined(separator: " ")))
        }
        var configurations = [Configuration]()
        for r in resolved {
            let alone = resolved.filter { $0.hyper.kind == r.hyper.kind }.count == 1
            let wanted = alone ? r.hyper.kind.rawValue : fileSafe(r.label, kind: r.hyper.kind)
            let name = unique(wanted, among: configurations.map(\.name))
            var label = r.label
            if configurations.contains(where: { $0.label == label }) {
                label = unique(label, among: configurations.map(\.label), separator: " #")
            }
            configurations.append(Configuration(hyperparameters: r.hyper, label: label, name: name))
        }
        return configurations
    }

    /// A file-name-safe form of a label: the solver's display name becomes its kind, spaces
    /// become dashes, `=` is dropped, anything outside [A-Za-z0-9._-] becomes a dash.
    /// `BPGrad L=50` -> `bpgrad-L50`.
    public static func fileSafe(_ label: String, kind: SolverKind) -> String {
        var text = label
        if let d = SolverRegistry.descriptor(kind), text.hasPrefix(d.displayName) {
            text = kind.rawValue + text.dropFirst(d.displayName.count)
        }
        var out = ""
        for ch in text {
            if ch == "=" { continue }
            let safe = ch.isASCII && (ch.isLetter || ch.isNumber || ch == "." || ch == "_" || ch == "-")
            let c: Character = safe ? ch : "-"
            if c == "-", out.last == "-" { continue }
            out.append(c)
        }
        while out.hasPrefix("-") || out.hasPrefix(".") { out.removeFirst() }
        while out.hasSuffix("-") { out.removeLast() }
        if out.count > 60 { out = String(out.prefix(60)) }
        return out.isEmpty ? kind.rawValue : out
    }

    /// `wanted`, or `wanted-2`, `wanted-3`... whichever is not taken. With the default separator
    /// these are names, and follow `ConfigurationName`'s rule (unique ignoring case, not reserved);
    /// with another (`" #"` for labels) only exact duplicates count.
    public static func unique(_ wanted: String, among taken: [String], separator: String = "-") -> String {
        if separator == "-" { return ConfigurationName.unique(wanted, among: taken) }
        let used = Set(taken)
        func free(_ n: String) -> Bool { !used.contains(n) }
        if free(wanted) { return wanted }
        var n = 2
        while !free("\(wanted)\(separator)\(n)") { n += 1 }
        return "\(wanted)\(separator)\(n)"
    }
}
