import Foundation
import Yams

/// Finds presets by name in the preset folders and among the built-in presets, or reads one
/// from a path, and applies `--set` overrides.
///
/// Searched in order, a name found earlier winning: every `--presets-dir`, `$BPGRAD_TUI_PRESETS`
/// (colon-separated), `./presets`, `$XDG_CONFIG_HOME/bpgrad-tui/presets` (default
/// `~/.config/bpgrad-tui/presets`), then the presets compiled into the binary, so that a copied
/// executable has them wherever it runs.
public struct PresetLibrary: Sendable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var description: String
        public var location: PresetLocation

        public init(name: String, description: String, location: PresetLocation) {
            self.name = name; self.description = description; self.location = location
        }
    }

    public var folders: [String]
    /// The names of the presets compiled into the binary.
    public static var builtInNames: [String] { BuiltInPresets.all.map(\.name) }
    /// The text of a built-in preset, as compiled in.
    public static func builtInYAML(_ name: String) -> String? { BuiltInPresets.all.first { $0.name == name }?.yaml }
    /// Whether the built-in presets come after the folders (tests turn them off).
    public var includesBuiltIn: Bool

    public init(folders: [String], includesBuiltIn: Bool = true) {
        self.folders = folders; self.includesBuiltIn = includesBuiltIn
    }

    /// The documented search order; `directories` are the `--presets-dir` options, first.
    public static func standard(directories: [String] = [],
                                environment: [String: String] = ProcessInfo.processInfo.environment) -> PresetLibrary {
        var folders = directories
        if let extra = environment["BPGRAD_TUI_PRESETS"] { folders += extra.split(separator: ":").map(String.init) }
        folders.append(FileManager.default.currentDirectoryPath + "/presets")
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.config")
        folders.append(config + "/bpgrad-tui/presets")
        var seen = Set<String>()
        return PresetLibrary(folders: folders.map { URL(fileURLWithPath: $0).standardizedFileURL.path }.filter { seen.insert($0).inserted })
    }

    /// Every preset found, one per name (the first found), sorted by name.
    public func entries() -> [Entry] {
        var byName = [String: Entry]()
        for folder in folders {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for file in files.sorted() where file.hasSuffix(".yaml") || file.hasSuffix(".yml") {
                let name = (file as NSString).deletingPathExtension
                guard byName[name] == nil else { continue }
                let path = folder + "/" + file
                let description = (try? PresetLibrary.load(path: path, overrides: []))?.description ?? "(does not load: run 'bpgrad-tui train --preset \(path)' to see why)"
                byName[name] = Entry(name: name, description: description, location: .file(path))
            }
        }
        if includesBuiltIn {
            for (name, _) in BuiltInPresets.all where byName[name] == nil {
                let location = PresetLocation.builtIn(name: name)
                let description = (try? PresetLibrary.load(location, overrides: []))?.description ?? "(does not load)"
                byName[name] = Entry(name: name, description: description, location: location)
            }
        }
        return byName.values.sorted { $0.name < $1.name }
    }

    /// Resolves a name (or a path, when it contains '/' or ends in .yaml) to where it is.
    public func location(of nameOrPath: String) throws(EngineError) -> PresetLocation {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml") {
            guard FileManager.default.fileExists(atPath: nameOrPath) else {
                throw .preset(file: nameOrPath, line: nil, field: "", message: FileCheck.Problem.notFound.description)
            }
            return .file(nameOrPath)
        }
        for folder in folders {
            for ext in ["yaml", "yml"] {
                let p = "\(folder)/\(nameOrPath).\(ext)"
                if FileManager.default.fileExists(atPath: p) { return .file(p) }
            }
        }
        if includesBuiltIn, BuiltInPresets.all.contains(where: { $0.name == nameOrPath }) { return .builtIn(name: nameOrPath) }
        throw .unknownPreset(name: nameOrPath, known: entries().map(\.name))
    }

    public func load(_ nameOrPath: String, overrides: [String] = []) throws(EngineError) -> Preset {
        try PresetLibrary.load(location(of: nameOrPath), overrides: overrides)
    }

    /// Reads the preset at `location` (a file, or a built-in one) with `key=value` overrides.
    public static func load(_ location: PresetLocation, overrides: [String]) throws(EngineError) -> Preset {
        switch location {
        case .file(let path):
            return try load(path: path, overrides: overrides)
        case .builtIn(let name):
            guard let yaml = BuiltInPresets.all.first(where: { $0.name == name })?.yaml else {
                throw .unknownPreset(name: name, known: BuiltInPresets.all.map(\.name))
            }
            var preset = try parse(yaml: yaml, file: location.description, overrides: overrides)
            preset.location = location
            return preset
        }
    }

    /// Reads a preset file and applies `key=value` overrides before checking it. Only a regular
    /// file of at most `YAMLLimits.maxBytes` is read: a FIFO would block, a device never end.
    public static func load(path: String, overrides: [String]) throws(EngineError) -> Preset {
        let size = try FileCheck.regularFileSize(path) { .preset(file: path, line: nil, field: "", message: $0.description) }
        guard size <= YAMLLimits.maxBytes else {
            throw .preset(file: path, line: nil, field: "", message: "is \(NumberText.bytes(size)), more than the \(NumberText.bytes(YAMLLimits.maxBytes)) a preset may be; is it a preset?")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .preset(file: path, line: nil, field: "", message: "cannot be read (\(String(cString: strerror(errno))))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .preset(file: path, line: nil, field: "", message: "is not UTF-8 text; is it a preset?")
        }
        return try parse(yaml: text, file: path, overrides: overrides)
    }

    public static func parse(yaml: String, file: String, overrides: [String]) throws(EngineError) -> Preset {
        var tree = try PresetTree.parse(yaml: yaml, file: file)
        for o in overrides { try apply(override: o, to: &tree) }
        let d = PresetDecoder(file: file, hasOverrides: !overrides.isEmpty)
        let top = try d.map(tree, "", known: ["name", "description", "dataset", "network", "loss", "training", "solvers", "configurations"])
        guard let datasetNode = top["dataset"] else { throw d.fail(tree, "dataset", "is missing") }
        guard let networkNode = top["network"] else { throw d.fail(tree, "network", "is missing") }
        let lossName = try top["loss"].map { n throws(EngineError) in try d.string(n, "loss") } ?? "cross_entropy"
        guard let loss = LossKind(rawValue: lossName) else {
            throw d.fail(top["loss"], "loss", "unknown loss '\(lossName)'; expected cross_entropy or mse")
        }
        let defaultName = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let yamlOut = (try? Yams.serialize(node: tree.node)) ?? yaml
        let solvers = try top["solvers"].map { n throws(EngineError) in try d.solvers(n) } ?? []
        let base = { (kind: SolverKind) in solvers.first { $0.kind == kind } ?? SolverRegistry.descriptor(kind)?.defaults ?? BPGrad.descriptor.defaults }
        return Preset(
            name: try top["name"].map { n throws(EngineError) in try d.string(n, "name") } ?? defaultName,
            description: try top["description"].map { n throws(EngineError) in try d.string(n, "description") } ?? "",
            source: file,
            location: .file(file),
            dataset: try d.dataset(datasetNode),
            network: try d.network(networkNode),
            loss: loss,
            training: try top["training"].map { n throws(EngineError) in try d.training(n) } ?? TrainingSpec(),
            solvers: solvers,
            configurations: try top["configurations"].map { n throws(EngineError) in try d.configurations(n, base: base) } ?? [],
            overrides: overrides,
            resolvedYAML: yamlOut)
    }

    /// `a.b.c=value`; a first key naming a solver (`bpgrad.lipschitz=30`) means `solvers.bpgrad.lipschitz`.
    static func apply(override: String, to tree: inout PresetTree) throws(EngineError) {
        guard let eq = override.firstIndex(of: "=") else {
            throw .invalidValue(field: "--set \(override)", message: "expected key=value, for example training.batch_size=64")
        }
        let key = String(override[..<eq]).trimmingCharacters(in: .whitespaces)
        let valueText = String(override[override.index(after: eq)...])
        var path = key.split(separator: ".").map(String.init)
        guard !path.isEmpty, !path.contains(where: \.isEmpty) else {
            throw .invalidValue(field: "--set \(override)", message: "'\(key)' is not a dotted field name such as training.batch_size")
        }
        if SolverRegistry.descriptor(SolverKind(path[0])) != nil { path.insert("solvers", at: 0) }
        let value: PresetTree
        do { value = try PresetTree.parse(yaml: valueText.isEmpty ? "''" : valueText, file: "--set \(key)").withoutLines } catch {
            value = .scalar(valueText, line: nil)
        }
        try tree.set(path: path, to: value, fullKey: key)
    }
}
