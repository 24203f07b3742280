import Foundation

/// A hyperparameter's value: most are numbers, a few are switches or named choices.
public enum HyperValue: Sendable, Hashable, CustomStringConvertible {
    case number(Double)
    case flag(Bool)
    case choice(String)

    public var number: Double? { if case .number(let x) = self { x } else { nil } }

    public var description: String {
        switch self {
        case .number(let x): formatNumber(x)
        case .flag(let b): b ? "true" : "false"
        case .choice(let s): s
        }
    }
}

/// Compact number formatting shared by logs, tables and the dashboard.
public func formatNumber(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    if x == x.rounded(), abs(x) < 1e6 { return String(Int(x)) }
    let a = abs(x)
    if a >= 1e-3, a < 1e5 {
        var s = String(format: "%.4g", x)
        if s.contains("e") { s = String(format: "%.4f", x) }
        return s
    }
    return String(format: "%.3e", x)
}

/// What a solver accepts for one hyperparameter, how it is checked, and how the dashboard steps it.
public struct HyperparameterInfo: Sendable {
    public enum Domain: Sendable {
        /// A number within bounds; `lowerOpen`/`upperOpen` exclude the bound itself.
        case real(lower: Double, upper: Double, lowerOpen: Bool, upperOpen: Bool)
        case flag
        case choice([String])
    }

    /// How left/right change the value in the dashboard.
    public enum Stepping: Sendable {
        case multiplicative(Double)
        case additive(Double)
        case toggle
    }

    public var name: String
    public var defaultValue: HyperValue
    public var domain: Domain
    public var stepping: Stepping
    public var summary: String
    /// A condition on this and other hyperparameters together (SGD's nesterov needs momentum),
    /// checked whenever any of them is set: nil when it holds, else why not.
    public var requires: (@Sendable (_ values: [String: HyperValue]) -> String?)? = nil

    /// The same hyperparameter with a condition on the others.
    public func requiring(_ rule: @escaping @Sendable (_ values: [String: HyperValue]) -> String?) -> Self {
        var copy = self
        copy.requires = rule
        return copy
    }

    public static func positive(_ name: String, _ value: Double, _ summary: String) -> Self {
        .init(name: name, defaultValue: .number(value), domain: .real(lower: 0, upper: .infinity, lowerOpen: true, upperOpen: true),
              stepping: .multiplicative(1.25), summary: summary)
    }

    public static func nonNegative(_ name: String, _ value: Double, _ summary: String, stepping: Stepping = .multiplicative(1.25)) -> Self {
        .init(name: name, defaultValue: .number(value), domain: .real(lower: 0, upper: .infinity, lowerOpen: false, upperOpen: true),
              stepping: stepping, summary: summary)
    }

    /// In [0, 1) when `closedAbove` is false, else [0, 1].
    public static func fraction(_ name: String, _ value: Double, _ summary: String, closedAbove: Bool = false) -> Self {
        .init(name: name, defaultValue: .number(value), domain: .real(lower: 0, upper: 1, lowerOpen: false, upperOpen: !closedAbove),
              stepping: .additive(0.05), summary: summary)
    }

    public static func flag(_ name: String, _ value: Bool, _ summary: String) -> Self {
        .init(name: name, defaultValue: .flag(value), domain: .flag, stepping: .toggle, summary: summary)
    }

    public static func choice(_ name: String, _ value: String, _ options: [String], _ summary: String) -> Self {
        .init(name: name, defaultValue: .choice(value), domain: .choice(options), stepping: .toggle, summary: summary)
    }

    /// Checks a value against the domain; the message reads like torch.optim's.
    public func validate(_ value: HyperValue, solver: String) throws(EngineError) {
        let field = "\(solver).\(name)"
        switch (domain, value) {
        case let (.real(lo, hi, loOpen, hiOpen), .number(x)):
            let okLow = loOpen ? x > lo : x >= lo, okHigh = hiOpen ? x < hi : x <= hi
            guard x.isFinite, okLow, okHigh else {
                throw .invalidValue(field: field, message: "invalid value \(formatNumber(x)) (must be \(rangeText))")
            }
        case (.flag, .flag): return
        case let (.choice(options), .choice(s)):
            guard options.contains(s) else {
                throw .invalidValue(field: field, message: "invalid value '\(s)' (must be one of \(options.joined(separator: ", ")))")
            }
        default:
            throw .invalidValue(field: field, message: "expected \(kindText), got \(value)")
        }
    }

    /// Parses text typed by a user (`--set`, the dashboard's value editor) and validates it.
    public func parse(_ text: String, solver: String) throws(EngineError) -> HyperValue {
        let t = text.trimmingCharacters(in: .whitespaces)
        let value: HyperValue
        switch domain {
        case .real:
            guard let x = Double(t) else {
                throw .invalidValue(field: "\(solver).\(name)", message: "'\(text)' is not a number (expected \(rangeText))")
            }
            value = .number(x)
        case .flag:
            switch t.lowercased() {
            case "true", "yes", "on", "1": value = .flag(true)
            case "false", "no", "off", "0": value = .flag(false)
            default: throw .invalidValue(field: "\(solver).\(name)", message: "'\(text)' is not true or false")
            }
        case .choice: value = .choice(t)
        }
        try validate(value, solver: solver)
        return value
    }

    var rangeText: String {
        guard case let .real(lo, hi, loOpen, hiOpen) = domain else { return kindText }
        if hi == .infinity { return loOpen ? "> \(formatNumber(lo))" : ">= \(formatNumber(lo))" }
        return (loOpen ? "in (" : "in [") + formatNumber(lo) + ", " + formatNumber(hi) + (hiOpen ? ")" : "]")
    }

    var kindText: String {
        switch domain {
        case .real: "a number"
        case .flag: "true or false"
        case .choice(let o): "one of \(o.joined(separator: ", "))"
        }
    }
}

