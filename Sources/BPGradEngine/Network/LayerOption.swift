/// One option of a layer kind: its name in presets, what values it takes, and its default.
public struct LayerOption: Sendable {
    public enum Domain: Sendable {
        /// A whole number of at least `min`.
        case count(min: Int)
        /// A finite number within the range.
        case real(ClosedRange<Double>)
    }

    public enum Default: Sendable {
        /// The preset must give it.
        case required
        case count(Int)
        case real(Double)
        /// The value of an earlier option (a pooling stride defaults to its size).
        case sameAs(String)
    }

    public let name: String
    public let domain: Domain
    public let defaultValue: Default

    public static func count(_ name: String, min: Int = 1, default value: Default = .required) -> LayerOption {
        LayerOption(name: name, domain: .count(min: min), defaultValue: value)
    }

    public static func real(_ name: String, in range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude,
                            default value: Double) -> LayerOption {
        LayerOption(name: name, domain: .real(range), defaultValue: .real(value))
    }
}
