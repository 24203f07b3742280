/// Fits configuration labels into a column without making two of them read the same.
///
/// Labels that fit are shown whole. When some do not, the part they share is shortened first:
/// configurations of one sweep differ at the end ("BPGrad L=20 mu=0.5", "BPGrad L=20 mu=0.9"),
/// so cutting every label at the width would leave them identical. A long label keeps its start
/// and as much of its end as holds what tells it apart, with "…" where text was left out.
public enum LabelFit {
    public static func fit(_ labels: [String], width: Int) -> [String] {
        guard width > 0 else { return labels.map { _ in "" } }
        guard labels.contains(where: { $0.count > width }) else { return labels }
        guard width >= 3 else { return labels.map { String($0.prefix(width)) } }
        // How much of the start to keep: no more than leaves room for every long label's
        // part after the shared prefix; then less and less until all differ.
        let long = labels.filter { $0.count > width }
        let shared = long.count > 1 ? commonPrefixLength(long) : 0
        let longestTail = long.map { $0.count - shared }.max() ?? 0
        // At most half the width for the start, the rest for what tells the labels apart.
        let preferred = max(0, min((width - 1) / 2, width - 1 - longestTail))
        for head in [preferred] + (0..<width).reversed().filter({ $0 != preferred }) {
            let fitted = labels.map { shorten($0, width: width, head: head) }
            if Set(fitted).count == Set(labels).count { return fitted }
        }
        return numbered(labels, width: width)
    }

    /// `label` in `width` characters: its first `head`, "…", then its end.
    static func shorten(_ label: String, width: Int, head: Int) -> String {
        guard label.count > width else { return label }
        return String(label.prefix(head)) + "…" + String(label.suffix(width - 1 - head))
    }

    private static func commonPrefixLength(_ labels: [String]) -> Int {
        guard var prefix = labels.first.map(Array.init) else { return 0 }
        for label in labels.dropFirst() {
            let chars = Array(label)
            var n = 0
            while n < min(prefix.count, chars.count), prefix[n] == chars[n] { n += 1 }
            prefix = Array(prefix.prefix(n))
        }
        return prefix.count
    }

    /// The last resort for a column too narrow to tell them apart: each long label's start and
    /// its position in the list, "#3".
    private static func numbered(_ labels: [String], width: Int) -> [String] {
        labels.enumerated().map { i, label in
            guard label.count > width else { return label }
            let tag = "#\(i + 1)"
            guard width > tag.count else { return String(tag.suffix(width)) }
            return String(label.prefix(width - tag.count - 1)) + "…" + tag
        }
    }
}
