/// What a solver accepts for one hyperparameter, how it is checked, and how the dashboard
/// steps it. Built by `HyperparameterField`, so the default is the settings struct's own.
public struct HyperparameterInfo: Sendable, Equatable {
    public enum Domain: Sendable, Equatable {
        /// A number within bounds; `lowerOpen`/`upperOpen` exclude the bound itself.
        case real(lower: Double, upper: Double, lowerOpen: Bool, upperOpen: Bool)
        case flag
        case choice([String])
    }

    /// How one left/right press changes the value.
    public enum Stepping: Sendable, Equatable {
        case multiplicative(Double)
        case additive(Double)
        case toggle
    }

    public var key: HyperKey
    /// Short form for labels and the configuration syntax (`L` for lipschitz); the key otherwise.
    public var symbol: String
    public var defaultValue: HyperValue
    public var domain: Domain
    public var stepping: Stepping
    public var summary: String

    public init(key: HyperKey, symbol: String? = nil, defaultValue: HyperValue, domain: Domain, stepping: Stepping, summary: String) {
        self.key = key; self.symbol = symbol ?? key.rawValue; self.defaultValue = defaultValue
        self.domain = domain; self.stepping = stepping; self.summary = summary
    }

    /// Checks a value against the domain; the message reads like torch.optim's.
    public func validate(_ value: HyperValue, solver: String) throws(EngineError) {
        let field = "\(solver).\(key)"
        switch (domain, value) {
        case let (.real(lo, hi, loOpen, hiOpen), .number(x)):
            let okLow = loOpen ? x > lo : x >= lo, okHigh = hiOpen ? x < hi : x <= hi
            guard x.isFinite, okLow, okHigh else {
                throw .invalidValue(field: field, message: "invalid value \(NumberText.short(x)) (must be \(rangeText))")
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

    /// Parses text typed by a user (`--set`, the configuration syntax, the value editor) and validates it.
    public func parse(_ text: String, solver: String) throws(EngineError) -> HyperValue {
        let t = text.trimmingCharacters(in: .whitespaces)
        let value: HyperValue
        switch domain {
        case .real:
            guard let x = Double(t) else {
                throw .invalidValue(field: "\(solver).\(key)", message: "'\(text)' is not a number (expected \(rangeText))")
            }
            value = .number(x)
        case .flag:
            switch t.lowercased() {
            case "true", "yes", "on", "1": value = .flag(true)
            case "false", "no", "off", "0": value = .flag(false)
            default: throw .invalidValue(field: "\(solver).\(key)", message: "'\(text)' is not true or false")
            }
        case .choice: value = .choice(t)
        }
        try validate(value, solver: solver)
        return value
    }

    /// One left/right step from `current`: multiplicative or additive by the stepping,
    /// clamped to the domain; flags and choices toggle. Nil when the value cannot move further.
    public func nudged(_ current: HyperValue, up: Bool) -> HyperValue? {
        let next: HyperValue
        switch (stepping, current, domain) {
        case let (.multiplicative(f), .number(v), .real(lo, hi, loOpen, hiOpen)):
            let x = v == 0 ? (up ? 1e-4 : 0) : (up ? v * f : v / f)
            next = .number(Self.clamp(x, lo, hi, loOpen, hiOpen))
        case let (.additive(d), .number(v), .real(lo, hi, loOpen, hiOpen)):
            let x = ((up ? v + d : v - d) * 1e9).rounded() / 1e9
            next = .number(Self.clamp(x, lo, hi, loOpen, hiOpen))
        case (_, .flag(let b), _): next = .flag(!b)
        case let (_, .choice(c), .choice(options)):
            let i = options.firstIndex(of: c) ?? 0
            next = .choice(options[(i + (up ? 1 : options.count - 1)) % options.count])
        default: return nil
        }
        guard next != current, (try? validate(next, solver: "")) != nil else { return nil }
        return next
    }

    static func clamp(_ x: Double, _ lo: Double, _ hi: Double, _ loOpen: Bool, _ hiOpen: Bool) -> Double {
        var v = x
        if hi.isFinite { v = min(v, hiOpen ? hi - 1e-3 : hi) }
        if loOpen { v = max(v, lo == 0 ? 1e-12 : lo + 1e-3) } else { v = max(v, lo) }
        return v
    }

    public var isChoice: Bool { if case .choice = domain { true } else { false } }

    /// What values it takes, in words: "in [0, 1)", "> 0", "true or false", "one of paper, reference".
    public var rangeText: String {
        guard case let .real(lo, hi, loOpen, hiOpen) = domain else { return kindText }
        if hi == .infinity { return loOpen ? "> \(NumberText.short(lo))" : ">= \(NumberText.short(lo))" }
        return (loOpen ? "in (" : "in [") + NumberText.short(lo) + ", " + NumberText.short(hi) + (hiOpen ? ")" : "]")
    }

    var kindText: String {
        switch domain {
        case .real: "a number"
        case .flag: "true or false"
        case .choice(let o): "one of \(o.joined(separator: ", "))"
        }
    }
}

import Foundation
