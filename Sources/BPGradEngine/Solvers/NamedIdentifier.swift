/// A name used as an identity (a solver kind, a hyperparameter key): a typed wrapper around
/// the string presets and files spell, so identities of different sorts cannot be mixed up.
public protocol NamedIdentifier: RawRepresentable<String>, Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral where StringLiteralType == String {
    init(rawValue: String)
}

extension NamedIdentifier {
    public init(_ rawValue: String) { self.init(rawValue: rawValue) }
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    public var description: String { rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}
