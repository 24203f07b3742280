import Foundation

/// Turns a preset tree into a typed `Preset`, reporting the file, line and field of
/// anything unknown, missing or out of range.
struct PresetDecoder {
    let file: String
    /// Values from `--set` carry no line; errors about them say where they came from.
    var hasOverrides = false

    func fail(_ node: PresetTree?, _ field: String, _ message: String) -> EngineError {
        let origin = hasOverrides && node != nil && node?.line == nil ? " (given with --set)" : ""
        return .preset(file: file, line: node?.line, field: field, message: message + origin)
    }

    func map(_ node: PresetTree, _ field: String, known: [String]) throws(EngineError) -> [String: PresetTree] {
        guard case .map(let entries, _) = node else {
            throw fail(node, field, "expected a mapping of fields, found \(node.kindName)")
        }
        var out = [String: PresetTree]()
        for (key, value) in entries {
            let path = field.isEmpty ? key : "\(field).\(key)"
            guard known.contains(key) else {
                throw fail(value, path, "unknown field; expected one of \(known.joined(separator: ", "))")
            }
            if case .scalar(let s, _) = value, s.isEmpty || s == "~" || s == "null" { continue }  // YAML null: unset
            out[key] = value
        }
        return out
    }

    func string(_ node: PresetTree, _ field: String) throws(EngineError) -> String {
        guard case .scalar(let s, _) = node else { throw fail(node, field, "expected a single value, found \(node.kindName)") }
        return s
    }

    /// A whole number in lower...upper; `why` explains the upper bound.
    func int(_ node: PresetTree, _ field: String, min lower: Int = 1, max upper: Int = .max, why: String = "") throws(EngineError) -> Int {
        let s = try string(node, field)
        guard let v = Int(s) else {
            let digits = s.drop { $0 == "+" || $0 == "-" }
            if !digits.isEmpty, digits.allSatisfy(\.isNumber) {
                throw fail(node, field, "\(s) is too large for a 64-bit whole number")
            }
            throw fail(node, field, "expected a whole number, found '\(s)'")
        }
        guard v >= lower else { throw fail(node, field, "must be at least \(lower), found \(v)") }
        guard v <= upper else { throw fail(node, field, "must be at most \(upper)\(why.isEmpty ? "" : " (\(why))"), found \(v)") }
        return v
    }

    func double(_ node: PresetTree, _ field: String, in range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude) throws(EngineError) -> Double {
        let s = try string(node, field)
        guard let v = Double(s), v.isFinite else { throw fail(node, field, "expected a number, found '\(s)'") }
        guard range.contains(v) else {
            throw fail(node, field, "must be in [\(NumberText.short(range.lowerBound)), \(NumberText.short(range.upperBound))], found \(s)")
        }
        return v
    }

    func bool(_ node: PresetTree, _ field: String) throws(EngineError) -> Bool {
        let s = try string(node, field)
        switch s.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw fail(node, field, "expected true or false, found '\(s)'")
        }
    }

    // MARK: Sections

    func training(_ node: PresetTree) throws(EngineError) -> TrainingSpec {
        let m = try map(node, "training", known: ["batch_size", "steps", "epochs", "seed", "eval_every", "memory_budget_mb"])
        var t = TrainingSpec(epochs: nil)
        if let v = m["batch_size"] { t.batchSize = try int(v, "training.batch_size") }
        if let v = m["steps"] { t.steps = try int(v, "training.steps", max: TrainingSpec.maxSteps, why: "the most steps a run may take") }
        if let v = m["epochs"] { t.epochs = try int(v, "training.epochs", max: TrainingSpec.maxSteps, why: "the most steps a run may take") }
        if let v = m["seed"] { t.seed = UInt64(try int(v, "training.seed", min: 0)) }
        if let v = m["eval_every"] { t.evalEvery = try int(v, "training.eval_every") }
        if let v = m["memory_budget_mb"] {
            t.memoryBudgetMB = try int(v, "training.memory_budget_mb", max: MemoryBudget.physicalMegabytes, why: "this machine's memory in MiB")
        }
        if t.steps == nil, t.epochs == nil { t.epochs = 1 }
        return t
    }

    func dataset(_ node: PresetTree) throws(EngineError) -> DatasetSpec {
        let known = ["kind", "n", "noise", "classes", "test_fraction", "limit", "directory",
                     "train_images", "train_labels", "test_images", "test_labels", "path", "label", "header", "task"]
        let m = try map(node, "dataset", known: known)
        guard let kindNode = m["kind"] else { throw fail(node, "dataset.kind", "is missing") }
        let kind = try string(kindNode, "dataset.kind")
        var spec: DatasetSpec
        if let synthetic = SyntheticKind(rawValue: kind) {
            spec = DatasetSpec(source: .synthetic(synthetic))
        } else if kind == "idx" || kind == "fashion-mnist" {
            let dir = try m["directory"].map { n throws(EngineError) in try string(n, "dataset.directory") }
                ?? (kind == "fashion-mnist" ? DatasetLoader.fashionMNISTDirectory : nil)
            // Training files default to the directory's standard names (a missing one is an error
            // when loading); test files only when they are there, else the loader holds out a split.
            func path(_ key: String, _ standard: String, optional: Bool = false) throws(EngineError) -> String? {
                if let n = m[key] { return try string(n, "dataset.\(key)") }
                guard let dir else { return nil }
                let p = DatasetLoader.idxPath(directory: dir, base: standard)
                return !optional || FileManager.default.fileExists(atPath: p) ? p : nil
            }
            guard let trainImages = try path("train_images", "train-images-idx3-ubyte"),
                  let trainLabels = try path("train_labels", "train-labels-idx1-ubyte") else {
                throw fail(node, "dataset.directory", "an idx dataset needs 'directory' or 'train_images' and 'train_labels'")
            }
            spec = DatasetSpec(source: .idx(trainImages: trainImages, trainLabels: trainLabels,
                                            testImages: try path("test_images", "t10k-images-idx3-ubyte", optional: true),
                                            testLabels: try path("test_labels", "t10k-labels-idx1-ubyte", optional: true)))
        } else if kind == "csv" {
            guard let p = m["path"] else { throw fail(node, "dataset.path", "is missing (a csv dataset needs the file's path)") }
            var label = CSVReader.LabelColumn.last
            if let l = m["label"] {
                let s = try string(l, "dataset.label")
                label = Int(s).map { .index($0) } ?? .name(s)
            }
            let task = try m["task"].map { n throws(EngineError) in try string(n, "dataset.task") } ?? "classification"
            guard task == "classification" || task == "regression" else {
                throw fail(m["task"], "dataset.task", "expected classification or regression, found '\(task)'")
            }
            spec = DatasetSpec(source: .csv(path: try string(p, "dataset.path"), label: label,
                                            header: try m["header"].map { n throws(EngineError) in try bool(n, "dataset.header") },
                                            regression: task == "regression"))
        } else {
            let kinds = SyntheticKind.allCases.map(\.rawValue) + ["fashion-mnist", "idx", "csv"]
            throw fail(kindNode, "dataset.kind", "unknown dataset kind '\(kind)'; expected one of \(kinds.joined(separator: ", "))")
        }
        if let v = m["n"] { spec.n = try int(v, "dataset.n", min: 2) }
        if let v = m["noise"] { spec.noise = try double(v, "dataset.noise", in: 0...1e6) }
        if let v = m["classes"] { spec.classes = try int(v, "dataset.classes", min: 2, max: Dataset.maxClasses, why: "class labels are stored as bytes") }
        if let v = m["test_fraction"] { spec.testFraction = try double(v, "dataset.test_fraction", in: 0...0.9) }
        if let v = m["limit"] { spec.limit = try int(v, "dataset.limit") }
        return spec
    }

    func network(_ node: PresetTree) throws(EngineError) -> [LayerSpec] {
        guard case .list(let items, _) = node, !items.isEmpty else {
            throw fail(node, "network", "expected a non-empty list of layers")
        }
        var layers = [LayerSpec]()
        for (i, item) in items.enumerated() { layers.append(try layer(item, "network[\(i)]")) }
        return layers
    }

    /// A layer is `tanh`, `dense: 64`, `dense: {units: 64}` or `{type: dense, units: 64}`.
    func layer(_ node: PresetTree, _ field: String) throws(EngineError) -> LayerSpec {
        var type: String, options: [(key: String, value: PresetTree)] = [], shorthand: PresetTree?
        switch node {
        case .scalar(let s, _): type = s
        case .map(let entries, _):
            if let t = entries.first(where: { $0.key == "type" }) {
                type = try string(t.value, "\(field).type")
                options = entries.filter { $0.key != "type" }
            } else if entries.count == 1 {
                type = entries[0].key
                if case .map(let o, _) = entries[0].value { options = o } else { shorthand = entries[0].value }
            } else {
                throw fail(node, field, "a layer is a name such as 'tanh', a single 'name: options' pair, or a mapping with 'type'")
            }
        case .list: throw fail(node, field, "a layer cannot be a list")
        }
        let label = "\(field) (\(type))"
        func opts(_ known: [String], main: String?) throws(EngineError) -> [String: PresetTree] {
            var out = [String: PresetTree]()
            if let shorthand {
                guard let main else { throw fail(shorthand, label, "takes no options") }
                out[main] = shorthand
            }
            for (k, v) in options {
                guard known.contains(k) else {
                    throw fail(v, "\(label).\(k)", "unknown option; \(type) takes \(known.isEmpty ? "no options" : known.joined(separator: ", "))")
                }
                out[k] = v
            }
            return out
        }
        guard let definition = LayerRegistry.definition(named: type) else {
            let names = LayerRegistry.names
            let suggestion = names.min { editDistance($0, type) < editDistance($1, type) }
            let hint = suggestion.map { editDistance($0, type) <= 2 ? " (did you mean '\($0)'?)" : "" } ?? ""
            throw fail(node, field, "unknown layer type '\(type)'\(hint); known layers: \(names.joined(separator: ", "))")
        }
        let given = try opts(definition.options.map(\.name), main: definition.options.first?.name)
        var values = LayerOptions()
        for option in definition.options {
            let key = "\(label).\(option.name)"
            switch (option.domain, given[option.name]) {
            case (.count(let min), let n?): values.counts[option.name] = try int(n, key, min: min)
            case (.real(let range), let n?): values.reals[option.name] = try double(n, key, in: range)
            case (_, nil):
                switch option.defaultValue {
                case .required: throw fail(node, key, "is missing")
                case .count(let v): values.counts[option.name] = v
                case .real(let v): values.reals[option.name] = v
                case .sameAs(let other): values.counts[option.name] = values.counts[other]
                }
            }
        }
        return LayerSpec(definition, values)
    }

    /// `solvers:` maps a solver kind to its settings in this preset: the base every
    /// configuration of that kind starts from.
    func solvers(_ node: PresetTree) throws(EngineError) -> [Hyperparameters] {
        guard case .map(let entries, _) = node else {
            throw fail(node, "solvers", "expected a mapping from solver name to its hyperparameters, found \(node.kindName)")
        }
        var out = [Hyperparameters]()
        for (kind, value) in entries {
            guard let descriptor = SolverRegistry.descriptor(SolverKind(kind)) else {
                throw fail(value, "solvers.\(kind)", "unknown solver; known solvers: \(SolverRegistry.kindList)")
            }
            var hyper = descriptor.defaults
            if case .map(let params, _) = value {
                try settings(params, into: &hyper, field: "solvers.\(kind)")
            } else if !isEmpty(value) {
                throw fail(value, "solvers.\(kind)", "expected a mapping of hyperparameters, found \(value.kindName)")
            }
            out.append(hyper)
        }
        return out
    }

    /// Hyperparameter values from a mapping, each parsed and checked against the schema.
    private func settings(_ params: [(key: String, value: PresetTree)], into hyper: inout Hyperparameters, field: String) throws(EngineError) {
        var changes = [(key: HyperKey, value: HyperValue)]()
        for (name, v) in params {
            let path = "\(field).\(name)"
            guard let key = hyper.schema.key(named: name) else {
                throw fail(v, path, "unknown hyperparameter; \(hyper.kind) has \(hyper.schema.keys.map(\.rawValue).joined(separator: ", "))")
            }
            let text = try string(v, path)
            do { changes.append((key, try hyper.schema.info(key).parse(text, solver: hyper.kind.rawValue))) } catch { throw fail(v, path, error.message) }
        }
        // The rule between fields is checked on all of them at once; the error names the last given.
        guard let last = params.last else { return }
        do { try hyper.set(changes) } catch { throw fail(last.value, "\(field).\(last.key)", error.message) }
    }

    private func isEmpty(_ node: PresetTree) -> Bool {
        if case .scalar(let s, _) = node { return s.isEmpty || s == "~" || s == "null" || s == "{}" }
        return false
    }

    /// `configurations:` lists what the dashboard and `compare` run by default: each item is
    /// the command-line syntax (`bpgrad:lipschitz=50@steep`) or a mapping with `solver`, an
    /// optional `label` and hyperparameters.
    func configurations(_ node: PresetTree, base: (SolverKind) -> Hyperparameters) throws(EngineError) -> [ConfigurationSpec] {
        guard case .list(let items, _) = node, !items.isEmpty else {
            throw fail(node, "configurations", "expected a non-empty list such as [bpgrad, \"bpgrad:lipschitz=50\", adam]")
        }
        guard items.count <= Configuration.limit else {
            throw fail(node, "configurations", "lists \(items.count) configurations; a session runs at most \(Configuration.limit)")
        }
        var out = [ConfigurationSpec]()
        for (i, item) in items.enumerated() {
            let field = "configurations[\(i)]"
            switch item {
            case .scalar(let text, _):
                do { out.append(try ConfigurationSyntax.parse(text, field: field)) } catch { throw fail(item, field, error.message) }
            case .map(let entries, _):
                guard let solver = entries.first(where: { $0.key == "solver" }) else {
                    throw fail(item, "\(field).solver", "is missing (each configuration names its solver)")
                }
                var spec = ConfigurationSpec(solver: try string(solver.value, "\(field).solver"))
                for (key, value) in entries where key != "solver" {
                    if key == "label" { spec.label = try string(value, "\(field).label"); continue }
                    spec.overrides.append(.init(key: key, value: try string(value, "\(field).\(key)")))
                }
                out.append(spec)
            case .list:
                throw fail(item, field, "expected a configuration such as bpgrad:lipschitz=50, found a list")
            }
            // Checked here, where the line is known, rather than when a session starts.
            do { _ = try ConfigurationList.resolve([out[out.count - 1]], base: base, field: field) } catch { throw fail(item, field, error.message) }
        }
        return out
    }
}

/// Levenshtein distance, for "did you mean" hints.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var row = Array(0...b.count)
    for i in 1...a.count {
        var prev = row[0]
        row[0] = i
        for j in 1...b.count {
            let cur = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
            prev = cur
        }
    }
    return row[b.count]
}
