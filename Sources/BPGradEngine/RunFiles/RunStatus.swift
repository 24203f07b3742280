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
    /// Files of the run that are there but not read, by file name, and why: a FIFO, a device,
    /// a folder or a symbolic link in place of run.json, summary.json, events.csv or a CSV.
    public var refusedFiles: [String: String] = [:]
    /// Set when the run says it is running but nothing has moved for a while: summary.json
    /// (whose `updated` a live writer rewrites at least once a second) and every CSV are
    /// older than `RunReader.Options.staleAfterSeconds`. A writer killed with -9 looks so.
    public var stale: Stale?

    /// A run that says it is running with no sign of life.
    public struct Stale: Sendable, Equatable {
        /// The last heartbeat: summary.json's `updated` as written, or its modification time.
        public var since: String
        /// Seconds since then.
        public var seconds: Double
    }

    public init() {}
}
