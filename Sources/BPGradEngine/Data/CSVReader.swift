import Foundation

/// Numeric CSV: every column but the label is a feature.
public enum CSVReader {
    public enum LabelColumn: Sendable, Equatable {
        case index(Int)
        case name(String)
        case last
    }

    /// Reads `path`. `header` nil means: treat the first row as a header when any cell in it is not a number.
    public static func load(path: String, label: LabelColumn, header: Bool?, regression: Bool) throws(EngineError) -> Dataset {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw FileManager.default.fileExists(atPath: path)
                ? .dataset(path: path, message: "cannot be read as UTF-8 text")
                : .dataset(path: path, message: "file not found")
        }
        var rows = text.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } }
        rows.removeAll { $0.count == 1 && $0[0].isEmpty }
        guard let first = rows.first else { throw .dataset(path: path, message: "the file is empty") }
        let hasHeader = header ?? first.contains { Float($0) == nil }
        let names = hasHeader ? first : first.indices.map { "column \($0 + 1)" }
        if hasHeader { rows.removeFirst() }
        guard !rows.isEmpty else { throw .dataset(path: path, message: "has a header but no data rows") }
        let width = names.count
        guard width >= 2 else { throw .dataset(path: path, message: "needs at least two columns (features and a label), found \(width)") }
        let labelIndex: Int
        switch label {
        case .last: labelIndex = width - 1
        case .index(let i):
            guard i >= 0, i < width else { throw .dataset(path: path, message: "label column index \(i) is out of range 0..<\(width)") }
            labelIndex = i
        case .name(let n):
            guard let i = names.firstIndex(of: n) else {
                throw .dataset(path: path, message: "no column named '\(n)'; the header has \(names.joined(separator: ", "))")
            }
            labelIndex = i
        }
        var features = [Float](), targets = [Float]()
        features.reserveCapacity(rows.count * (width - 1))
        for (r, row) in rows.enumerated() {
            let line = r + (hasHeader ? 2 : 1)
            guard row.count == width else {
                throw .dataset(path: path, message: "row \(line) has \(row.count) cells, expected \(width)")
            }
            for (c, cell) in row.enumerated() {
                guard let v = Float(cell), v.isFinite else {
                    throw .dataset(path: path, message: "row \(line), column \(c + 1) ('\(names[c])'): '\(cell)' is not a finite number")
                }
                if c == labelIndex {
                    if !regression, v < 0 || v != v.rounded() {
                        throw .dataset(path: path, message: "row \(line), column \(c + 1) ('\(names[c])'): class label \(cell) is not a non-negative integer")
                    }
                    targets.append(v)
                } else {
                    features.append(v)
                }
            }
        }
        let task: Dataset.Task = regression ? .regression(outputs: 1) : .classification(classes: Int(targets.max() ?? 0) + 1)
        return Dataset(sampleShape: Shape([width - 1]), task: task, features: features, targets: targets)
    }
}
