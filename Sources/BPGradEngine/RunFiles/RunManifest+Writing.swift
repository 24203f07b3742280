import Foundation

extension RunManifest {
    /// run.json for a run starting with `configurations`, as this program writes it.
    public init(created: Date, preset: String?, dataset: String?, network: String?, parameters: Int?, batchSize: Int?,
                stepsPerEpoch: Int?, totalSteps: Int?, previous: String?, configurations: [BPGradEngine.Configuration]) {
        self.init(version: Self.supportedVersion, writer: "bpgrad-tui", preset: preset, configurations: configurations.map(Configuration.init))
        self.created = ISO8601DateFormatter().string(from: created)
        self.dataset = dataset; self.network = network; self.parameters = parameters; self.batchSize = batchSize
        self.stepsPerEpoch = stepsPerEpoch; self.totalSteps = totalSteps; self.previous = previous
    }

    /// The JSON the format describes: every field present, null where there is no value.
    public var jsonData: Data {
        let object: [String: Any] = [
            "format": Self.format, "version": version, "writer": writer ?? NSNull(), "created": created ?? NSNull(),
            "preset": preset ?? NSNull(), "dataset": dataset ?? NSNull(), "network": network ?? NSNull(),
            "parameters": parameters ?? NSNull(), "batch_size": batchSize ?? NSNull(), "steps_per_epoch": stepsPerEpoch ?? NSNull(),
            "total_steps": totalSteps ?? NSNull(), "previous": previous ?? NSNull(),
            "configurations": configurations.map { c -> [String: Any] in
                ["name": c.name, "kind": c.kind, "label": c.label, "hyperparameters": c.hyperparameters.mapValues(\.json),
                 "parent": c.parent ?? NSNull(), "fork_step": c.forkStep ?? NSNull()]
            },
        ]
        return Self.encode(object)
    }

    static func encode(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
    }
}

extension RunManifest.Configuration {
    /// A configuration as run.json lists it: name, kind, label, hyperparameters at the start, fork origin.
    public init(_ c: BPGradEngine.Configuration) {
        self.init(name: c.name, kind: c.kind.rawValue, label: c.label,
                  hyperparameters: RunManifest.HyperparameterValue.values(c.hyperparameters),
                  parent: c.parent, forkStep: c.forkStep)
    }
}

extension RunManifest.HyperparameterValue {
    public init(_ v: HyperValue) {
        switch v {
        case .number(let x): self = .number(x)
        case .flag(let b): self = .bool(b)
        case .choice(let s): self = .string(s)
        }
    }

    /// As a hyperparameter value: numbers, flags, and strings as choices (or numbers typed as text).
    public var hyperValue: HyperValue {
        switch self {
        case .number(let x): .number(x)
        case .bool(let b): .flag(b)
        case .string(let s): .choice(s)
        }
    }

    /// For JSONSerialization: a non-finite number (which JSON cannot hold) as its text.
    var json: Any {
        switch self {
        case .number(let x): x.isFinite ? (x.rounded() == x && abs(x) < 1e15 ? Int(x) as Any : x as Any) : NumberText.exact(x)
        case .bool(let b): b
        case .string(let s): s
        }
    }

    static func values(_ h: Hyperparameters) -> [String: Self] {
        Dictionary(uniqueKeysWithValues: h.values.map { ($0.key.rawValue, Self($0.value)) })
    }
}
