/// The parts of an `events.csv` detail that readers act on, written and read here only, as
/// `docs/run-format.md` describes them (the Python writer follows the same text).
public enum EventDetail {
    /// ` (command ID)`, appended to the detail of an event a `commands.jsonl` line caused;
    /// empty when the command had no id.
    public static func commandSuffix(_ id: String?) -> String { id.map { " (command \($0))" } ?? "" }

    /// `(command ID)`: the whole detail of a `pause` or `resume` a command caused; empty without an id.
    public static func commandNote(_ id: String?) -> String { id.map { "(command \($0))" } ?? "" }

    /// At most `limit` characters of what a command said (a value, a name), for an event's
    /// detail: a longer text is cut with an ellipsis, and control characters become `?`, so
    /// that one line of commands.jsonl cannot fill events.csv or a terminal with its echo.
    public static func excerpt(_ text: String, limit: Int = 40) -> String {
        var out = ""
        var count = 0
        for ch in text {
            if count == limit { return out + "…" }
            out.append(ch.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || (0x80..<0xA0).contains($0.value) } ? "?" : ch)
            count += 1
        }
        return out
    }

    /// True when `detail` is the outcome of the command with `id` (a pause or resume's detail
    /// may be the suffix alone, without its leading space).
    public static func answers(_ detail: String, command id: String) -> Bool {
        let suffix = commandSuffix(id)
        return detail.hasSuffix(suffix) || detail == suffix.dropFirst()
    }

    /// `detail` without its command suffix.
    public static func withoutCommand(_ detail: String) -> String {
        if detail.hasPrefix("(command ") { return "" }
        guard let paren = detail.range(of: " (command ") else { return detail }
        return String(detail[..<paren.lowerBound])
    }

    /// A `restart` event's detail: the run directory where the session goes on.
    public static func continues(in successor: String) -> String { continuesPrefix + successor }

    /// The successor a `restart` event names, if it names one.
    public static func successor(_ detail: String) -> String? {
        detail.hasPrefix(continuesPrefix) ? String(detail.dropFirst(continuesPrefix.count)) : nil
    }

    private static let continuesPrefix = "continues in "
}
