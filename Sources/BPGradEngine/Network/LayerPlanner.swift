/// What a layer definition's `plan` works with: the input it receives, the label errors name,
/// and checked-size helpers, so every definition sizes itself the same careful way.
public struct LayerPlanner: Sendable {
    public let input: Shape
    /// "layer 3 (maxpool2d(2))": names the layer in errors.
    public let label: String
    /// Values per input sample (known to fit: the previous stage computed it with checks).
    public let inputCount: Int

    init(input: Shape, label: String) {
        self.input = input
        self.label = label
        inputCount = input.dims.reduce(1, *)
    }

    public func fail(_ message: String) -> EngineError { .shape(layer: label, message: message) }

    /// `value` when it was computed without overflow and fits a 32-bit size.
    public func within32(_ value: Int?, _ what: String) throws(EngineError) -> Int {
        guard let value else { throw fail("\(what) overflows a 64-bit size") }
        guard value <= NetworkPlan.int32Limit else {
            throw fail("\(what) is \(value), more than \(NetworkPlan.int32Limit) (2^31 - 1), the largest size a layer may have")
        }
        return value
    }

    /// Throws unless the input is [channels, height, width].
    public func requireImage() throws(EngineError) {
        guard input.rank == 3 else { throw fail("expects a [channels, height, width] input but receives \(input)") }
    }

    /// A stage producing `output`, keeping `floats` Floats and `indices` Int32s per sample.
    public func stage(_ output: Shape, parameters: Int = 0, floats: Int, indices: Int = 0) -> NetworkPlan.Stage {
        NetworkPlan.Stage(label: label, input: input, output: output, parameters: parameters, floatsPerSample: floats, indicesPerSample: indices)
    }
}
