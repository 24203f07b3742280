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

/// A number exactly, as short as it can be while reading back to the same Double: whole
/// numbers without a fraction (50, not 50.0), others as Swift prints them (15.625, 1e-08).
/// For events and logs, where a value must not be rounded.
public func exactNumber(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
    return "\(x)"
}
