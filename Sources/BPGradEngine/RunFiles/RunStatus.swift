/// Where a run stands, for a viewer's status line. Every delta carries the current one.
public struct RunStatus: Sendable, Equatable {
    /// False until the directory exists (poll again later).
    public var directoryExists = false
    /// summary.json says `finished` or `stopped`, every solver in it has ended, or every
    /// configuration has a `finished`, `diverged` or `stop` event (or the run has a run-wide
    /// `stop`, `finished` or `restart` event).
    public var isFinished = false
    /// Seconds since a configuration's CSV last grew (its modification time), or nil before
    /// the first row: "writer quiet for 42 s".
    public var secondsSinceLastRow: Double?
    /// Rows skipped as malformed so far, all files together, and per file name.
    public var malformedRows = 0
    public var malformedByFile: [String: Int] = [:]
    /// The first malformed row: file, line and why, e.g. `adam.csv line 12: field 'loss' is 'x', ...`.
    public var firstMalformed: String?
    /// Nothing is left to read beyond the per-poll budget (an unterminated last line aside).
    public var isCaughtUp = true
    /// Rows and events read so far (since the last reset of their file).
    public var rowsRead = 0
    public var eventsRead = 0
    /// The path from a `restart` event: this run continues in another directory.
    public var continuesIn: String?

    public init() {}
}
