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
