/// The one rule for a configuration's name (docs/run-format.md), for every writer and reader:
/// 1 to 200 bytes of `[A-Za-z0-9._-]`, not starting with `.`, not one of the names of the run
/// directory's other files, and unique in the run, all ignoring case.
///
/// A name is a file name inside the run directory (`<name>.csv`): the characters keep it there
/// (no `/`), a leading dot would hide it (and `..` would leave), the length keeps `<name>.csv`
/// under every file system's 255-byte limit with room for suffixes, and case is ignored because
/// on a case-insensitive file system (macOS, Windows shares) `Adam.csv` and `adam.csv`, or
/// `Events.csv` and `events.csv`, are one file.
public enum ConfigurationName {
    public static let maxBytes = 200

    /// Names of the run directory's other files, lower case, and those files.
    static let reservedFiles = ["events": "events.csv", "summary": "summary.json", "preset": "preset.yaml", "run": "run.json",
                                "sweep": "sweep.csv", "commands": "commands.jsonl"]
    public static let reserved = Set(reservedFiles.keys)

    /// Why `name` breaks the rule, in words; nil when it follows it.
    public static func problem(_ name: String) -> String? {
        let bytes = name.utf8
        if bytes.isEmpty { return "a configuration name is empty (expected 1 to \(maxBytes) characters of [A-Za-z0-9._-])" }
        if bytes.count > maxBytes {
            return "a configuration name is \(bytes.count) bytes long (expected at most \(maxBytes) bytes of [A-Za-z0-9._-])"
        }
        guard bytes.allSatisfy(isAllowed) else {
            return "configuration name '\(name)' has characters outside [A-Za-z0-9._-] (it names a file in the run directory)"
        }
        if name.hasPrefix(".") { return "configuration name '\(name)' starts with '.' (it would be a hidden file)" }
        if let file = reservedFiles[name.lowercased()] {
            return "configuration name '\(name)' is reserved (ignoring case): the run's \(file) has that name (events, summary, preset, run, sweep and commands are taken)"
        }
        return nil
    }

    /// The first problem in a run's list of names: a name against the rule, or two that are the
    /// same ignoring case.
    public static func problem(in names: [String]) -> String? {
        var seen = Set<String>()
        for name in names {
            if let problem = problem(name) { return problem }
            guard seen.insert(name.lowercased()).inserted else {
                return "configuration name '\(name)' is used twice ignoring case (each names a file; on a case-insensitive file system they would be one)"
            }
        }
        return nil
    }

    /// True when the two name one file on a case-insensitive file system.
    public static func sameName(_ a: String, _ b: String) -> Bool { a.lowercased() == b.lowercased() }

    /// `wanted`, or `wanted-2`, `wanted-3`... whichever is neither taken (ignoring case) nor reserved.
    /// `wanted` itself must follow the rule apart from uniqueness.
    public static func unique(_ wanted: String, among taken: [String]) -> String {
        let used = Set(taken.map { $0.lowercased() })
        func free(_ n: String) -> Bool { !used.contains(n.lowercased()) && !reserved.contains(n.lowercased()) }
        if free(wanted) { return wanted }
        var n = 2
        while !free("\(wanted)-\(n)") { n += 1 }
        return "\(wanted)-\(n)"
    }

    private static func isAllowed(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 46 || c == 95 || c == 45
    }
}
