import Foundation

/// What a run is: `run.json` (format version 1), or what a directory written before version 1
/// shows of itself (`isLegacy`, configurations discovered from its CSV files).
public struct RunManifest: Sendable, Equatable {
    /// One configuration, in display order.
    public struct Configuration: Sendable, Equatable {
        /// File-name-safe (`[A-Za-z0-9._-]`), unique in the run; names `<name>.csv`.
        public var name: String
        /// The solver kind (`bpgrad`, `adam`, ..., or any name an external writer uses).
        public var kind: String
        /// What legends show.
        public var label: String
        /// The values at the start (numbers, booleans and strings as written).
        public var hyperparameters: [String: HyperparameterValue]
        public var parent: String?
        public var forkStep: Int?

        public init(name: String, kind: String, label: String, hyperparameters: [String: HyperparameterValue] = [:],
                    parent: String? = nil, forkStep: Int? = nil) {
            self.name = name; self.kind = kind; self.label = label; self.hyperparameters = hyperparameters
            self.parent = parent; self.forkStep = forkStep
        }
    }

    /// A hyperparameter value as JSON has it.
    public enum HyperparameterValue: Sendable, Equatable, CustomStringConvertible {
        case number(Double), bool(Bool), string(String)

        public var description: String {
            switch self {
            case .number(let v): NumberText.exact(v)
            case .bool(let b): b ? "true" : "false"
            case .string(let s): s
            }
        }
    }

    public static let format = "bpgrad-run"
    public static let supportedVersion = 1

    /// 0 for a directory written before version 1.
    public var version: Int
    public var writer: String?
    public var created: String?
    public var preset: String?
    public var dataset: String?
    public var network: String?
    public var parameters: Int?
    public var batchSize: Int?
    public var stepsPerEpoch: Int?
    public var totalSteps: Int?
    public var previous: String?
    public var configurations: [Configuration]

    /// True when there is no run.json and the configurations come from the CSV files found.
    public var isLegacy: Bool { version == 0 }

    public init(version: Int = supportedVersion, writer: String? = nil, preset: String? = nil, configurations: [Configuration]) {
        self.version = version; self.writer = writer; self.preset = preset; self.configurations = configurations
    }

    public func configuration(named name: String) -> Configuration? { configurations.first { $0.name == name } }

    /// A configuration name follows the one rule every writer enforces (`ConfigurationName`).
    public static func isSafeName(_ name: String) -> Bool { ConfigurationName.problem(name) == nil }

    /// Parses run.json. Fields that are descriptive may be missing or of the wrong type (they
    /// are then nil); a configuration without a safe, unique name is left out and reported in
    /// `skipped`. Nil when the text is not a JSON object (perhaps a writer caught mid-write);
    /// throws for another format or a newer major version (the message names the file).
    public static func parse(_ data: Data, file: String) throws(RunFileError) -> (manifest: RunManifest, skipped: [String])? {
        guard let object = try? JSONSerialization.jsonObject(with: data), let json = object as? [String: Any] else { return nil }
        if let format = json["format"], format as? String != Self.format {
            throw .unsupportedFormat(file: file, field: "format", found: "\(format)", expected: "\"\(Self.format)\"")
        }
        let versionNumber = number(json["version"]) ?? Double(supportedVersion)
        // Version 1.x is still version 1: only a higher major number is refused. Compared as
        // a Double: Int(1e300) would trap.
        guard versionNumber.isFinite, versionNumber >= 1, versionNumber < Double(supportedVersion + 1) else {
            throw .unsupportedFormat(file: file, field: "version", found: "\(json["version"].map { "\($0)" } ?? "?")",
                                     expected: "format version \(supportedVersion)")
        }
        var m = RunManifest(version: supportedVersion, configurations: [])
        m.writer = json["writer"] as? String
        m.created = json["created"] as? String
        m.preset = json["preset"] as? String
        m.dataset = json["dataset"] as? String
        m.network = json["network"] as? String
        m.parameters = count(json["parameters"])
        m.batchSize = count(json["batch_size"]).flatMap { $0 > 0 ? $0 : nil }
        m.stepsPerEpoch = count(json["steps_per_epoch"]).flatMap { $0 > 0 ? $0 : nil }
        m.totalSteps = count(json["total_steps"])
        m.previous = json["previous"] as? String
        var skipped: [String] = []
        var names = Set<String>()
        for (i, item) in ((json["configurations"] as? [Any]) ?? []).enumerated() {
            guard let c = item as? [String: Any], let name = c["name"] as? String else {
                skipped.append("configurations[\(i)] has no 'name'"); continue
            }
            if let problem = ConfigurationName.problem(name) {
                skipped.append("configurations[\(i)]: \(CSVLine.printable(problem))"); continue
            }
            guard names.insert(name.lowercased()).inserted else {
                skipped.append("configurations[\(i)]: name '\(name)' appears twice (ignoring case)"); continue
            }
            let kind = c["kind"] as? String ?? name
            var hyper: [String: HyperparameterValue] = [:]
            for (k, v) in (c["hyperparameters"] as? [String: Any]) ?? [:] {
                if let value = hyperparameterValue(v) { hyper[k] = value }
            }
            m.configurations.append(Configuration(name: name, kind: kind, label: (c["label"] as? String) ?? name,
                                                  hyperparameters: hyper, parent: c["parent"] as? String,
                                                  forkStep: count(c["fork_step"])))
        }
        return (m, skipped)
    }

    /// JSONSerialization gives NSNumber for numbers and booleans alike; a boolean is the one
    /// whose Objective-C type is `c` (char), on Linux and macOS.
    static func isBoolean(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }

    static func hyperparameterValue(_ v: Any) -> HyperparameterValue? {
        if let n = v as? NSNumber {
            if isBoolean(n) { return .bool(n.boolValue) }
            return .number(n.doubleValue)
        }
        if let s = v as? String { return .string(s) }
        return nil
    }

    static func number(_ v: Any?) -> Double? {
        guard let n = v as? NSNumber, !isBoolean(n) else { return nil }
        return n.doubleValue
    }

    static func count(_ v: Any?) -> Int? {
        guard let d = number(v), d.isFinite, d >= 0, d < 1e15, d.rounded() == d else { return nil }
        return Int(d)
    }
}
