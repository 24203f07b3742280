/// Every layer kind a preset may name, in the order help and errors list them.
public enum LayerRegistry {
    public static let all: [LayerDefinition] = [
        Dense.definition, Conv2D.definition, MaxPool2D.definition, Flatten.definition,
        Activation.reluDefinition, Activation.leakyReLUDefinition, Activation.tanhDefinition, Activation.sigmoidDefinition, Dropout.definition,
    ]

    public static var names: [String] { all.map(\.name) }

    public static func definition(named name: String) -> LayerDefinition? { all.first { $0.name == name } }
}
