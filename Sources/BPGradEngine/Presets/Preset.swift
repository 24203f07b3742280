/// A resolved experiment: data, network, loss, training schedule and the solvers to run.
public struct Preset: Sendable {
    public var name: String
    public var description: String
    /// The file it came from, or the built-in preset's name, as messages show it.
    public var source: String
    /// Where it was found, to read it again (with other overrides).
    public var location: PresetLocation
    public var dataset: DatasetSpec
    public var network: [LayerSpec]
    public var loss: LossKind
    public var training: TrainingSpec
    /// The settings the preset gives each solver kind it names (`solvers:`), in file order:
    /// the base every configuration of that kind starts from.
    public var solvers: [Hyperparameters]
    /// The configurations to run when the command line names none (`configurations:`).
    public var configurations: [ConfigurationSpec]
    /// The `--set` overrides applied, as given.
    public var overrides: [String]
    /// The preset as YAML after overrides, for run directories.
    public var resolvedYAML: String

    /// The preset's settings for `kind`, or the kind's defaults when the preset does not list it.
    public func settings(for kind: SolverKind) -> Hyperparameters {
        solvers.first { $0.kind == kind } ?? SolverRegistry.descriptor(kind)?.defaults
            ?? Hyperparameters(schema: BPGrad.schema)
    }

    /// What a session runs: the configurations in `text` (the `--solvers` syntax), else the
    /// preset's `configurations:`, else BPGrad and Adam.
    public func configurations(_ text: String?, field: String = "--solvers") throws(EngineError) -> [Configuration] {
        if let text {
            return try ConfigurationList.resolve(try ConfigurationSyntax.parseList(text, field: field), base: settings, field: field)
        }
        if !configurations.isEmpty {
            return try ConfigurationList.resolve(configurations, base: settings, field: "\(source): configurations")
        }
        return try ConfigurationList.resolve(ConfigurationSpec.defaultRace, base: settings, field: field)
    }

    /// One configuration for `train`: `text`, else the preset's first configuration, else the
    /// first solver it lists, else BPGrad (the solver this tool is about).
    public func configuration(_ text: String?, field: String = "--solver") throws(EngineError) -> Configuration {
        let specs: [ConfigurationSpec]
        if let text {
            specs = try ConfigurationSyntax.parseList(text, field: field)
            guard specs.count == 1 else {
                throw .invalidValue(field: field, message: "'\(text)' names \(specs.count) configurations; train runs one (use compare for several)")
            }
        } else if let first = configurations.first {
            specs = [first]
        } else {
            specs = [.init(solver: (solvers.first?.kind ?? BPGrad.kind).rawValue)]
        }
        return try ConfigurationList.resolve(specs, base: settings, field: field)[0]
    }
}
