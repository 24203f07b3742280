/// What a chart's x axis counts, for the dashboard (`x` cycles it), its figure export and
/// `plot --x`.
public enum XAxis: String, Sendable, CaseIterable {
    case step, epoch, time

    /// The short unit written at the axis's end in the terminal.
    public var unit: String { rawValue }

    /// The axis label of a figure.
    public var axisLabel: String {
        switch self {
        case .step: "step"
        case .epoch: "epoch"
        case .time: "training time (s)"
        }
    }
}
