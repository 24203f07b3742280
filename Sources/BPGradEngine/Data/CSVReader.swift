import Foundation

/// Numeric CSV: every column but the label is a feature.
public enum CSVReader {
    public enum LabelColumn: Sendable, Equatable {
        case index(Int)
        case name(String)
        case last
    }

    /// Memory per byte of CSV text: the text itself, the Floats parsed from it (a value takes at
    /// least two bytes of text, "1,"), and their copies when the data is split.
    static let memoryPerByte = 5

    /// Reads `path`. `header` nil means: treat the first row as a header when any cell in it is not a number.
    public static func load(path: String, label: LabelColumn, header: Bool?, regression: Bool,
                            budget: MemoryBudget = .standard) throws(EngineError) -> Dataset {
        let size = try FileCheck.regularFileSize(path) { .dataset(path: path, message: $0.description) }
        try budget.require(CheckedSize.product(size, memoryPerByte), for: "dataset \(path): a CSV file of \(NumberText.bytes(size))")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .dataset(path: path, message: "cannot be read (\(String(cString: strerror(errno))))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .dataset(path: path, message: "is not UTF-8 text")
        }
        var names = [String](), width = 0, labelIndex = 0, hasHeader = false
        var features = [Float](), targets = [Float]()
        var row = 0, sawFirst = false
        var failure: EngineError?
        // Line by line over the text, so no array of every row is ever built.
        forEachLine(text) { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.count == 1 && cells[0].isEmpty { return true }
            row += 1
            if !sawFirst {
                sawFirst = true
                hasHeader = header ?? cells.contains { Float($0) == nil }
                names = hasHeader ? cells : cells.indices.map { "column \($0 + 1)" }
                width = names.count
                do throws(EngineError) { labelIndex = try resolve(label, names: names, path: path) } catch { failure = error; return false }
                if hasHeader { return true }
            }
            guard cells.count == width else {
                failure = .dataset(path: path, message: "row \(row) has \(cells.count) cells, expected \(width)")
                return false
            }
            for (c, cell) in cells.enumerated() {
                guard let v = Float(cell), v.isFinite else {
                    failure = .dataset(path: path, message: "row \(row), column \(c + 1) ('\(names[c])'): '\(cell)' is not a finite number")
                    return false
                }
                if c == labelIndex {
                    if !regression {
                        guard v >= 0, v == v.rounded() else {
                            failure = .dataset(path: path, message: "row \(row), column \(c + 1) ('\(names[c])'): class label \(cell) is not a non-negative integer")
                            return false
                        }
                        guard v < Float(Dataset.maxClasses) else {
                            failure = .dataset(path: path, message: "row \(row), column \(c + 1) ('\(names[c])'): class label \(cell) is too large: at most \(Dataset.maxClasses) classes (labels 0 to \(Dataset.maxClasses - 1)) are supported")
                            return false
                        }
                    }
                    targets.append(v)
                } else {
                    features.append(v)
                }
            }
            return true
        }
        if let failure { throw failure }
        guard sawFirst else { throw .dataset(path: path, message: "the file is empty") }
        guard width >= 2 else { throw .dataset(path: path, message: "needs at least two columns (features and a label), found \(width)") }
        guard !targets.isEmpty else { throw .dataset(path: path, message: "has a header but no data rows") }
        // Labels are below maxClasses, so the conversion cannot trap.
        let task: Dataset.Task = regression ? .regression(outputs: 1) : .classification(classes: Int(targets.max() ?? 0) + 1)
        return Dataset(sampleShape: Shape([width - 1]), task: task, features: features, targets: targets)
    }

    private static func resolve(_ label: LabelColumn, names: [String], path: String) throws(EngineError) -> Int {
        let width = names.count
        guard width >= 2 else { throw .dataset(path: path, message: "needs at least two columns (features and a label), found \(width)") }
        switch label {
        case .last: return width - 1
        case .index(let i):
            guard i >= 0, i < width else { throw .dataset(path: path, message: "label column index \(i) is out of range 0..<\(width)") }
            return i
        case .name(let n):
            guard let i = names.firstIndex(of: n) else {
                throw .dataset(path: path, message: "no column named '\(n)'; the header has \(names.joined(separator: ", "))")
            }
            return i
        }
    }

    /// Calls `body` with each line (split at \n or \r) until it returns false.
    private static func forEachLine(_ text: String, _ body: (Substring) -> Bool) {
        let utf8 = text.utf8
        var start = utf8.startIndex
        while start < utf8.endIndex {
            let end = utf8[start...].firstIndex { $0 == 10 || $0 == 13 } ?? utf8.endIndex
            if !body(text[start..<end]) { return }
            start = end < utf8.endIndex ? utf8.index(after: end) : end
        }
    }
}
