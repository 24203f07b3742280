import Foundation

/// Sizes computed from user input (layer widths, batch sizes, file headers), with every
/// product and sum checked: nil instead of a trap (or, in a build with -Ounchecked, a wrapped
/// value that lets a huge header pass a length check as 0), so the caller can say what is wrong.
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
