/// What one `RunReader.poll()` found that is new. The consumer aggregates.
public struct RunDelta: Sendable {
    /// A file that started over: the consumer drops what it kept from it.
    public struct Reset: Sendable, Equatable {
        public enum Reason: Sendable, Equatable { case truncated, replaced, removed }
        public var file: String
        /// The configuration whose CSV it is; nil for events.csv.
        public var configuration: String?
        public var reason: Reason
    }

    /// Something the reader tolerated but a viewer may want to show.
    public enum Issue: Sendable, Equatable, CustomStringConvertible {
        case unreadableRunJSON(String)
        case skippedConfiguration(String)
        case notAStepLog(file: String)
        case unreadableEventsHeader(file: String)
        case unreadableSummary
        case reset(Reset)
        /// A file of the run that is not a regular file (FIFO, device, folder, link): not read.
        case refused(file: String, why: String)

        public var description: String {
            switch self {
            case .unreadableRunJSON(let why): "run.json: \(why); keeping what was read before"
            case .skippedConfiguration(let why): "run.json: \(why); that configuration is left out"
            case .notAStepLog(let file): "\(file): the header has no 'step' column, so the file is not read"
            case .unreadableEventsHeader(let file): "\(file): the header lacks 'step' or 'event', so no events are read"
            case .unreadableSummary: "summary.json is not a JSON object; keeping what was read before"
            case .refused(let file, let why): "\(file): \(why)"
            case .reset(let r):
                switch r.reason {
                case .truncated: "\(r.file) was truncated or rewritten; reading it again from the start"
                case .replaced: "\(r.file) was replaced by a new file; reading it from the start"
                case .removed: "\(r.file) was removed"
                }
            }
        }
    }

    public var status = RunStatus()
    /// Set when run.json (or, without it, the set of CSV files found) changed: the whole
    /// current description, configurations in display order.
    public var manifest: RunManifest?
    /// Set when summary.json changed.
    public var summary: RunSummary?
    /// New rows by configuration name, in step order.
    public var rows: [String: [StepRecord]] = [:]
    /// New events in file order.
    public var events: [SessionEvent] = []
    /// Rows skipped as malformed in this poll, by file name.
    public var malformed: [String: Int] = [:]
    public var resets: [Reset] = []
    public var issues: [Issue] = []

    public init() {}

    /// Nothing new at all (the status may still have changed).
    public var isEmpty: Bool {
        manifest == nil && summary == nil && rows.isEmpty && events.isEmpty && malformed.isEmpty && resets.isEmpty && issues.isEmpty
    }

    public var rowCount: Int { rows.values.reduce(0) { $0 + $1.count } }
}
