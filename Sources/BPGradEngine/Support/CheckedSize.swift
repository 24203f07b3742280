import Foundation

/// Sizes computed from user input (layer widths, batch sizes, file headers), with every
/// product and sum checked: nil instead of a wrapped value. Release builds use -Ounchecked,
/// where a plain `*` wraps silently and a huge header would pass a length check as 0.
enum CheckedSize {
    static func product(_ values: [Int]) -> Int? {
        var result = 1
        for v in values {
            guard v >= 0 else { return nil }
            let (p, overflow) = result.multipliedReportingOverflow(by: v)
            if overflow { return nil }
            result = p
        }
        return result
    }

    static func product(_ values: Int?...) -> Int? {
        var known = [Int]()
        for v in values { guard let v else { return nil }; known.append(v) }
        return product(known)
    }

    static func sum(_ values: [Int?]) -> Int? {
        var result = 0
        for v in values {
            guard let v, v >= 0 else { return nil }
            let (s, overflow) = result.addingReportingOverflow(v)
            if overflow { return nil }
            result = s
        }
        return result
    }

    static func sum(_ values: Int?...) -> Int? { sum(values) }
}

/// Bytes in words: 512 B, 3.5 KiB, 1.2 MiB, 16 GiB.
public func formatBytes(_ bytes: Int) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
    var value = Double(bytes), unit = 0
    while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
    if unit == 0 { return "\(bytes) B" }
    let text = value >= 100 || value == value.rounded() ? String(Int(value.rounded())) : String(format: "%.1f", value)
    return "\(text) \(units[unit])"
}
