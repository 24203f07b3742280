/// A layer as a preset describes it: a plain value, turned into a `Layer` by `Network`.
public enum LayerSpec: Sendable, Equatable, CustomStringConvertible {
    case dense(units: Int)
    case conv2d(filters: Int, kernel: Int, stride: Int, padding: Int)
    case maxpool2d(size: Int, stride: Int)
    case flatten
    case relu
    case leakyReLU(slope: Float)
    case tanh
    case sigmoid
    case dropout(rate: Float)

    /// Every layer type a preset may name.
    public static let typeNames = ["dense", "conv2d", "maxpool2d", "flatten", "relu", "leaky_relu", "tanh", "sigmoid", "dropout"]

    public var description: String {
        switch self {
        case .dense(let u): "dense(\(u))"
        case let .conv2d(f, k, s, p): "conv2d(\(f)@\(k)x\(k)" + (s != 1 ? " s\(s)" : "") + (p != 0 ? " p\(p)" : "") + ")"
        case let .maxpool2d(k, s): "maxpool2d(\(k)" + (s != k ? " s\(s)" : "") + ")"
        case .flatten: "flatten"
        case .relu: "relu"
        case .leakyReLU(let a): "leaky_relu(\(a))"
        case .tanh: "tanh"
        case .sigmoid: "sigmoid"
        case .dropout(let r): "dropout(\(r))"
        }
    }
}
