import Foundation

/// Numbers from CSV fields, straight from the bytes.
///
/// Plain decimals such as `%.9g` writes them (`0.0123`, `-4.5e-05`, `1234`) take a fast path
/// that is exact: with at most 19 significant digits whose value fits in 53 bits and a power of
/// ten within 10^±22, one IEEE multiply or divide of two exactly represented numbers rounds
/// correctly (Clinger's fast path). Everything else (`nan`, `inf`, hex floats, 20+ digits, huge
/// exponents) goes to `strtod` in the C locale, so a reader accepts exactly what `strtod` does
/// whatever locale the terminal program set.
enum NumberField {
    /// 10^e for 0 <= e <= 22, all exactly representable; a switch rather than a global array,
    /// whose lazy initialisation check would sit in the innermost loop.
    @inline(__always)
    private static func powerOfTen(_ e: Int) -> Double {
        switch e {
        case 0: 1e0
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        case 16: 1e16
        case 17: 1e17
        case 18: 1e18
        case 19: 1e19
        case 20: 1e20
        case 21: 1e21
        default: 1e22
        }
    }

    /// `strtod` reads the decimal point of LC_NUMERIC; the dashboard sets the user's locale for
    /// UTF-8, so the fallback switches this thread to "C" around each call. A `locale_t` is an
    /// opaque pointer created once and never freed or mutated, hence safe to share.
    nonisolated(unsafe) private static let cLocale = newlocale(1 << LC_NUMERIC, "C", nil)

    /// The value of `count` bytes at `p`, or nil when they are not a number `strtod` accepts
    /// in full. An empty field is nil too; callers tell "empty" from "malformed" themselves.
    @inline(__always)
    static func double(_ p: UnsafePointer<UInt8>, _ count: Int) -> Double? {
        if let v = fastDouble(p, count) { return v }
        return strtodDouble(p, count)
    }

    /// A non-negative decimal integer (`12`, or a float form with an integral value such as
    /// `12.0` or `1.2e+01`), or nil.
    @inline(__always)
    static func integer(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int? {
        if count > 0, count <= 18 {
            var v = 0, i = 0
            while i < count {
                let d = Int(p[i]) &- 48
                if d < 0 || d > 9 { break }
                v = v &* 10 &+ d
                i += 1
            }
            if i == count { return v }
        }
        guard let d = double(p, count), d >= 0, d <= 9_007_199_254_740_992, d.rounded() == d else { return nil }
        return Int(d)
    }

    @inline(__always)
    private static func fastDouble(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        var i = 0
        guard n > 0 else { return nil }
        var negative = false
        if p[0] == UInt8(ascii: "-") { negative = true; i = 1 } else if p[0] == UInt8(ascii: "+") { i = 1 }
        var mantissa: UInt64 = 0
        var digits = 0, exponent = 0
        var sawDigit = false
        // Digits before and after the point go into one mantissa; each one after the point
        // lowers the decimal exponent.
        func readDigits(exponentStep: Int) {
            while i < n {
                let d = p[i] &- 48
                guard d <= 9 else { break }
                sawDigit = true
                if mantissa != 0 || d != 0 { digits += 1 }
                mantissa = mantissa &* 10 &+ UInt64(d)
                exponent += exponentStep
                i += 1
            }
        }
        readDigits(exponentStep: 0)
        if i < n, p[i] == UInt8(ascii: ".") {
            i += 1
            readDigits(exponentStep: -1)
        }
        guard sawDigit, digits <= 19 else { return nil }
        if i < n, p[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < n, p[i] == UInt8(ascii: "-") { expNegative = true; i += 1 } else if i < n, p[i] == UInt8(ascii: "+") { i += 1 }
            var e = 0, expDigits = 0
            while i < n {
                let d = p[i] &- 48
                guard d <= 9, expDigits < 6 else { break }
                e = e * 10 + Int(d)
                expDigits += 1
                i += 1
            }
            guard expDigits > 0 else { return nil }
            exponent += expNegative ? -e : e
        }
        guard i == n else { return nil }
        if mantissa == 0 { return negative ? -0.0 : 0 }
        guard mantissa <= 1 << 53, exponent >= -22, exponent <= 22 else { return nil }
        let m = Double(mantissa)
        let v = exponent >= 0 ? m * powerOfTen(exponent) : m / powerOfTen(-exponent)
        return negative ? -v : v
    }

    private static func strtodDouble(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        guard n > 0, n < 256 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buffer -> Double? in
            let base = buffer.baseAddress!
            for k in 0..<n {
                // An embedded NUL would end strtod's string early and pass a prefix as the whole.
                if p[k] == 0 { return nil }
                base[k] = CChar(bitPattern: p[k])
            }
            base[n] = 0
            var end: UnsafeMutablePointer<CChar>?
            let old = uselocale(cLocale)
            let v = strtod(base, &end)
            uselocale(old)
            guard let end, end == base + n else { return nil }
            return v
        }
    }
}
