import Foundation

/// Every way this program writes a number as text, in one place, each for one audience:
///
/// - `short`: logs, tables, events, error messages; whole numbers as integers, four
///   significant digits in the ordinary range, exponent form beyond.
/// - `exact`: values that must read back to the same Double (hyperparameters in events,
///   run.json, figure labels): whole numbers without a fraction, others as Swift prints them.
/// - `compact`: chart axes and narrow table cells, at most about six characters.
/// - `csv`: data columns, nine significant digits (every Float reads back exactly); empty for
///   a missing value.
/// - `accuracy`: a fraction in [0, 1] to four places, or "-" when there is none yet;
///   `percent`: a fraction as 12.5%.
/// - `duration` and `bytes`: seconds as m:ss or h:mm:ss, sizes as 3.5 KiB.
public enum NumberText {
    public static func short(_ x: Double) -> String {
        if let special = special(x) { return special }
        if x == x.rounded(), abs(x) < 1e6 { return String(Int(x)) }
        let a = abs(x)
        if a >= 1e-3, a < 1e5 {
            var s = String(format: "%.4g", x)
            if s.contains("e") { s = String(format: "%.4f", x) }
            return s
        }
        return String(format: "%.3e", x)
    }

    public static func exact(_ x: Double) -> String {
        if let special = special(x) { return special }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return "\(x)"
    }

    public static func compact(_ x: Double) -> String {
        if let special = special(x) { return special }
        let a = abs(x)
        if a == 0 { return "0" }
        if a >= 1e5 || a < 1e-3 {
            let s = String(format: "%.1e", x)
                .replacingOccurrences(of: "e+0", with: "e").replacingOccurrences(of: "e-0", with: "e-").replacingOccurrences(of: "e+", with: "e")
            return s.replacingOccurrences(of: ".0e", with: "e")
        }
        if a >= 100 { return String(format: "%.0f", x) }
        if a >= 10 { return trimmed(String(format: "%.1f", x)) }
        if a >= 1 { return trimmed(String(format: "%.2f", x)) }
        return trimmed(String(format: "%.3f", x))
    }

    public static func csv(_ x: Double?) -> String {
        guard let x else { return "" }
        return String(format: "%.9g", x)
    }

    public static func accuracy(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "-" }
        return String(format: "%.4f", x)
    }

    public static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "-" }
        return String(format: "%.1f%%", 100 * fraction)
    }

    /// Seconds as m:ss, or h:mm:ss from an hour; "-" when not a time.
    public static func duration(_ seconds: Double) -> String {
        // Beyond a hundred years a clock is not a duration worth showing (and Int(1e308) traps).
        guard seconds.isFinite, seconds >= 0, seconds < 3.2e9 else { return "-" }
        let s = Int(seconds.rounded(.down))
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }

    /// Bytes in words: 512 B, 3.5 KiB, 1.2 MiB, 16 GiB.
    public static func bytes(_ count: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(count), unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        if unit == 0 { return "\(count) B" }
        let text = value >= 100 || value == value.rounded() ? String(Int(value.rounded())) : String(format: "%.1f", value)
        return "\(text) \(units[unit])"
    }

    private static func special(_ x: Double) -> String? {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        return nil
    }

    private static func trimmed(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var t = s
        while t.last == "0" { t.removeLast() }
        if t.last == "." { t.removeLast() }
        return t
    }
}
