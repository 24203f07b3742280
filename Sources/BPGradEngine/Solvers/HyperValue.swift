/// A hyperparameter's value: most are numbers, a few are switches or named choices.
public enum HyperValue: Sendable, Hashable, CustomStringConvertible {
    case number(Double)
    case flag(Bool)
    case choice(String)

    public var number: Double? { if case .number(let x) = self { x } else { nil } }

    public var description: String {
        switch self {
        case .number(let x): NumberText.exact(x)
        case .flag(let b): b ? "true" : "false"
        case .choice(let s): s
        }
    }
}
