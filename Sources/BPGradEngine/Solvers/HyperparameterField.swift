/// One field of a solver's settings struct: its name, domain and help text, and how to read
/// and write it. The default value is read from `S()`, so it is stated once.
public struct HyperparameterField<S: SolverSettings>: Sendable {
    public let info: HyperparameterInfo
    let read: @Sendable (S) -> HyperValue
    let write: @Sendable (inout S, HyperValue) -> Void

    /// A number in `domain`; `stepping` is how the dashboard's left/right change it.
    public static func number(_ key: HyperKey, _ path: WritableKeyPath<S, Double> & Sendable, _ domain: NumberDomain,
                              symbol: String? = nil, stepping: HyperparameterInfo.Stepping? = nil, _ summary: String) -> Self {
        let info = HyperparameterInfo(key: key, symbol: symbol, defaultValue: .number(S()[keyPath: path]), domain: domain.domain,
                                      stepping: stepping ?? domain.defaultStepping, summary: summary)
        return Self(info: info, read: { .number($0[keyPath: path]) }, write: { s, v in if let x = v.number { s[keyPath: path] = x } })
    }

    public static func flag(_ key: HyperKey, _ path: WritableKeyPath<S, Bool> & Sendable, symbol: String? = nil, _ summary: String) -> Self {
        let info = HyperparameterInfo(key: key, symbol: symbol, defaultValue: .flag(S()[keyPath: path]), domain: .flag,
                                      stepping: .toggle, summary: summary)
        return Self(info: info, read: { .flag($0[keyPath: path]) }, write: { s, v in if case .flag(let b) = v { s[keyPath: path] = b } })
    }

    public static func choice<C: HyperChoice>(_ key: HyperKey, _ path: WritableKeyPath<S, C> & Sendable, symbol: String? = nil,
                                              _ summary: String) -> Self {
        let info = HyperparameterInfo(key: key, symbol: symbol, defaultValue: .choice(S()[keyPath: path].rawValue),
                                      domain: .choice(C.allCases.map(\.rawValue)), stepping: .toggle, summary: summary)
        return Self(info: info, read: { .choice($0[keyPath: path].rawValue) },
                    write: { s, v in if case .choice(let c) = v, let value = C(rawValue: c) { s[keyPath: path] = value } })
    }
}

/// The ranges numeric hyperparameters take, with the stepping that suits each.
public enum NumberDomain: Sendable {
    /// > 0, stepped x1.25 (learning rates, L, eps).
    case positive
    /// >= 0, stepped x1.25 (weight decay, decays).
    case nonNegative
    /// In [0, 1), stepped +-0.05 (momentum, betas).
    case fraction
    /// In [0, 1], stepped +-0.05 (rho, alpha, dampening).
    case closedFraction

    var domain: HyperparameterInfo.Domain {
        switch self {
        case .positive: .real(lower: 0, upper: .infinity, lowerOpen: true, upperOpen: true)
        case .nonNegative: .real(lower: 0, upper: .infinity, lowerOpen: false, upperOpen: true)
        case .fraction: .real(lower: 0, upper: 1, lowerOpen: false, upperOpen: true)
        case .closedFraction: .real(lower: 0, upper: 1, lowerOpen: false, upperOpen: false)
        }
    }

    var defaultStepping: HyperparameterInfo.Stepping {
        switch self {
        case .positive, .nonNegative: .multiplicative(1.25)
        case .fraction, .closedFraction: .additive(0.05)
        }
    }
}
