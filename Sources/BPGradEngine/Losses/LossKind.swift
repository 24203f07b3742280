/// The training objective. Both are means over the batch, as PyTorch's defaults
/// (`CrossEntropyLoss()`, `MSELoss()`), so BPGrad's f(x) >= 0 holds and loss scales match.
public enum LossKind: String, Sendable, CaseIterable {
    case crossEntropy = "cross_entropy"
    case mse
}
