/// A configuration as a user wrote it, before it is checked against a preset: a solver name,
/// `key=value` overrides in the order given, and an optional label.
public struct ConfigurationSpec: Sendable, Equatable {
    public struct Override: Sendable, Equatable {
        public var key: String
        public var value: String

        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    public var solver: String
    public var overrides: [Override]
    public var label: String?

    public init(solver: String, overrides: [Override] = [], label: String? = nil) {
        self.solver = solver; self.overrides = overrides; self.label = label
    }

    /// What a session races when neither the command line nor the preset names configurations:
    /// BPGrad and Adam, each at the preset's settings.
    public static let defaultRace: [ConfigurationSpec] = [.init(solver: BPGrad.kind.rawValue), .init(solver: Adam.kind.rawValue)]

    /// Back to the syntax it was parsed from (`bpgrad:lipschitz=50@steep`).
    public var text: String {
        ([solver] + overrides.map { "\($0.key)=\($0.value)" }).joined(separator: ":") + (label.map { "@\($0)" } ?? "")
    }
}
