/// A number, boolean or string in run.json, summary.json and commands.jsonl.
public enum JSONScalar: Codable, Sendable, Equatable {
    case number(Double), bool(Bool), string(String)

    public init(_ v: HyperValue) {
        switch v {
        case .number(let x): self = .number(x)
        case .flag(let b): self = .bool(b)
        case .choice(let s): self = .string(s)
        }
    }

    public var hyperValue: HyperValue {
        switch self {
        case .number(let x): .number(x)
        case .bool(let b): .flag(b)
        case .string(let s): .choice(s)
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .bool(b) } else if let x = try? c.decode(Double.self) { self = .number(x) } else {
            self = .string(try c.decode(String.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let x): x.isFinite ? try c.encode(x) : try c.encode(formatNumber(x))
        case .bool(let b): try c.encode(b)
        case .string(let s): try c.encode(s)
        }
    }

    static func values(_ h: Hyperparameters) -> [String: JSONScalar] {
        Dictionary(uniqueKeysWithValues: h.values.map { ($0.key.rawValue, JSONScalar($0.value)) })
    }
}
