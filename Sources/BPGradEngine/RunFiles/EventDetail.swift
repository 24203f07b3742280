/// The parts of an `events.csv` detail that readers act on, written and read here only, as
/// `docs/run-format.md` describes them (the Python writer follows the same text).
public enum EventDetail {
    /// ` (command ID)`, appended to the detail of an event a `commands.jsonl` line caused;
    /// empty when the command had no id.
    public static func commandSuffix(_ id: String?) -> String { id.map { " (command \($0))" } ?? "" }

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
