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

    /// torch.optim's `weight_decay`, which every solver here takes: one key, symbol and text.
    public static func weightDecay(_ path: WritableKeyPath<S, Double> & Sendable) -> Self {
        .number("weight_decay", path, .nonNegative, symbol: "wd", "L2 penalty added to the gradient")
    }

    /// A learning rate `lr` (positive).
    public static func learningRate(_ path: WritableKeyPath<S, Double> & Sendable) -> Self {
        .number("lr", path, .positive, "learning rate")
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
