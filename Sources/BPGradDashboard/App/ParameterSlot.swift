import BPGradEngine

/// One tunable hyperparameter of one configuration, in display order.
public struct ParameterSlot: Sendable, Equatable {
    public var configuration: Int
    public var key: HyperKey

    public init(configuration: Int, key: HyperKey) {
        self.configuration = configuration
        self.key = key
    }
}

extension SessionSnapshot {
    /// Every hyperparameter of every configuration, in the parameter panel's order.
    public var parameterSlots: [ParameterSlot] {
        configurations.enumerated().flatMap { i, m in m.hyper.infos.map { ParameterSlot(configuration: i, key: $0.key) } }
    }
}
