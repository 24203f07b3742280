/// `bpgrad-bp`'s hyperparameters, validated and stepped like any solver's.
public struct BranchAndPruneSettings: SolverSettings {
    public static let kind: SolverKind = "bpgrad-bp"
    public static let displayName = "BPGrad-BP"

    public var lipschitz = 50.0
    public var rho = 0.1

    public init() {}

    public static let fields: [HyperparameterField<Self>] = [
        .number(BPGrad.lipschitzKey, \.lipschitz, .positive, symbol: "L", "Lipschitz constant L"),
        .number("rho", \.rho, .closedFraction, "f* = rho * min f"),
    ]

    public static var schema: HyperparameterSchema { HyperparameterSchema(kind: kind, settings: Self.self) }
}
