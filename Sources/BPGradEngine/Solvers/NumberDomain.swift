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
