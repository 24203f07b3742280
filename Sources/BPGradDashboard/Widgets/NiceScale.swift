import Foundation

/// Axis ticks a reader can use: values at 1, 2 or 5 times a power of ten (0.5, 1, 1.5...
/// never 0.935), labelled with the same number of decimals along one axis; on a log axis,
/// whole powers of ten.
public enum NiceScale {
    /// The tick step for [lo, hi] giving about `count` ticks: 1, 2 or 5 times a power of ten.
    public static func step(_ lo: Double, _ hi: Double, count: Int) -> Double {
        let span = hi - lo
        guard span > 0, span.isFinite, count > 0 else { return 1 }
        let raw = span / Double(max(1, count))
        let p = pow(10, floor(log10(raw)))
        let m = raw / p
        return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p
    }

    /// Tick values inside [lo, hi], about `count` of them, and the step between them.
    public static func ticks(_ lo: Double, _ hi: Double, count: Int) -> (values: [Double], step: Double) {
        guard lo.isFinite, hi.isFinite, hi > lo else { return (lo.isFinite ? [lo] : [], 1) }
        let s = step(lo, hi, count: count)
        var values = [Double]()
        var k = (lo / s).rounded(.up)
        while k * s <= hi + s * 1e-9, values.count < 100 {
            let v = k * s
            values.append(abs(v) < s * 1e-9 ? 0 : v)
            k += 1
        }
        return (values, s)
    }

    /// Labels for ticks `step` apart: at most the decimals the step needs, trailing zeros
    /// dropped (0, 0.5, 1, 1.5); exponent form for very large or small magnitudes. At most
    /// `width` characters each.
    public static func labels(_ values: [Double], step: Double, width: Int = 6) -> [String] {
        let top = values.map(abs).max() ?? 0
        if top >= 1e5 || (step < 1e-3 && top > 0) {
            return values.map { v in v == 0 ? "0" : exponent(v, step: step) }
        }
        let decimals = step >= 1 ? 0 : Int(-floor(log10(step) + 1e-9))
        return values.map { v in
            var s = String(format: "%.\(decimals)f", v)
            if s.contains(".") { while s.last == "0" { s.removeLast() }; if s.last == "." { s.removeLast() } }
            if s == "-0" { s = "0" }
            return s.count <= width ? s : exponent(v, step: step)
        }
    }

    static func exponent(_ v: Double, step: Double) -> String {
        let e = Int(floor(log10(abs(v))))
        let digits = max(0, min(3, e - Int(floor(log10(step) + 1e-9))))
        var m = String(format: "%.\(digits)f", v / pow(10, Double(e)))
        if m.contains(".") { while m.last == "0" { m.removeLast() }; if m.last == "." { m.removeLast() } }
        return "\(m)e\(e)"
    }

    /// Whole powers of ten (exponents) within [lo, hi] of log10 values, thinned to every
    /// 2nd, 5th or 10th decade to stay near `count`; empty when fewer than two fit.
    public static func decades(_ lo: Double, _ hi: Double, count: Int) -> [Int] {
        guard lo.isFinite, hi.isFinite, hi > lo else { return [] }
        let first = Int(lo.rounded(.up)), last = Int(hi.rounded(.down))
        guard last > first else { return [] }
        let n = last - first + 1
        let every = [1, 2, 5, 10, 20, 50].first { (n + $0 - 1) / $0 <= max(2, count) } ?? 100
        return stride(from: first, through: last, by: 1).filter { ($0 % every + every) % every == 0 }
    }

    /// `10^e` as a short label: 1, 10, 100, 1000, then 1e4...; 0.1, 0.01, 0.001, then 1e-4...
    public static func decadeLabel(_ e: Int) -> String {
        switch e {
        case 0...3: String(Int(pow(10, Double(e))))
        case -3 ... -1: String(format: "%.\(-e)f", pow(10, Double(e)))
        default: "1e\(e)"
        }
    }
}
