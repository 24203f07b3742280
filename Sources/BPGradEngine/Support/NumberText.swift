import Foundation

/// Compact number formatting shared by logs, tables, events and the dashboard: whole
/// numbers as integers, four significant digits in the ordinary range, exponent form beyond.
public func formatNumber(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    if x == x.rounded(), abs(x) < 1e6 { return String(Int(x)) }
    let a = abs(x)
    if a >= 1e-3, a < 1e5 {
        var s = String(format: "%.4g", x)
        if s.contains("e") { s = String(format: "%.4f", x) }
        return s
    }
    return String(format: "%.3e", x)
}
