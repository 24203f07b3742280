/// Turns what commands.jsonl said into what the session does: a command for each configuration
/// it reaches, and for everything refused exactly one event per command.
///
/// A line that is not a command, a configuration that does not exist, a hyperparameter nobody
/// has and a value of the wrong type or out of range are refused here, once, before any worker
/// sees them: run-wide (empty `solver`) when the command was for every configuration, else for
/// the configuration it named. Values are typed as JSON typed them: a number for a numeric
/// hyperparameter (the string "0x10" is not 16), a boolean for a flag, a string for a choice.
/// Each detail echoes the value once, cut to a few dozen characters, and ends with the
/// command's id. What only a configuration's own state can refuse (a rule between two of its
/// hyperparameters) is still its worker's to refuse.
public enum CommandRouting {
    /// A configuration as the router sees it.
    public struct Target: Sendable {
        public var name: String
        public var hyperparameters: Hyperparameters
        /// Steps taken: where an event about this configuration is placed.
        public var step: Int

        public init(name: String, hyperparameters: Hyperparameters, step: Int) {
            self.name = name; self.hyperparameters = hyperparameters; self.step = step
        }
    }

    public enum Outcome: Sendable, Equatable {
        /// For the configuration at this index.
        case send(SessionCommand, to: Int)
        /// To record: a rejection, or an `error` when the file cannot be read.
        case event(SessionEvent)
    }

    /// The outcomes of `entries`, in order, for the configurations of `snapshot`.
    public static func route(_ entries: [CommandFeed.Entry], snapshot: SessionSnapshot) -> [Outcome] {
        route(entries, targets: snapshot.configurations.map { Target(name: $0.name, hyperparameters: $0.hyper, step: $0.step) },
              wallMilliseconds: snapshot.elapsedSeconds * 1000)
    }

    public static func route(_ entries: [CommandFeed.Entry], targets: [Target], wallMilliseconds: Double) -> [Outcome] {
        var out = [Outcome]()
        func event(_ kind: EventKind, _ detail: String, for index: Int? = nil) {
            out.append(.event(SessionEvent(step: index.map { targets[$0].step } ?? 0, wallMilliseconds: wallMilliseconds,
                                           solver: index.map { targets[$0].name } ?? "", kind: kind, detail: detail)))
        }
        for entry in entries {
            switch entry {
            case let .unusable(why):
                event(.error, why)
            case let .invalid(why, id):
                event(.rejected, "invalid command: \(why)" + EventDetail.commandSuffix(id))
            case let .command(command, id):
                let suffix = EventDetail.commandSuffix(id)
                var shown: String {
                    switch command.action {
                    case .pause: "pause"
                    case .resume: "resume"
                    case let .set(name, value): "\(EventDetail.excerpt(name)) \(EventDetail.excerpt(value.description))"
                    }
                }
                var named: Int?
                if let solver = command.solver {
                    guard let i = targets.firstIndex(where: { $0.name == solver }) else {
                        let names = targets.map(\.name).joined(separator: ", ")
                        event(.rejected, "\(shown): no configuration named '\(EventDetail.excerpt(solver))' (there are \(names.isEmpty ? "none" : names))" + suffix)
                        continue
                    }
                    named = i
                }
                switch command.action {
                case .pause, .resume:
                    let pause = command.action == .pause
                    for i in named.map({ [$0] }) ?? Array(targets.indices) { out.append(.send(.pauseCommand(pause, origin: id), to: i)) }
                case let .set(name, value):
                    let key = HyperKey(name)
                    if let i = named, targets[i].hyperparameters[key] == nil {
                        let h = targets[i].hyperparameters
                        event(.rejected, "\(shown): \(h.kind) has no such hyperparameter; it has \(h.schema.keys.map(\.rawValue).joined(separator: ", "))" + suffix, for: i)
                        continue
                    }
                    let reached = named.map { [$0] } ?? targets.indices.filter { targets[$0].hyperparameters[key] != nil }
                    guard !reached.isEmpty else {
                        event(.rejected, "\(shown): no configuration has it" + suffix)
                        continue
                    }
                    var refused = [(index: Int, why: String)]()
                    for i in reached {
                        switch typed(value, for: key, in: targets[i].hyperparameters) {
                        case .success(let v): out.append(.send(.set(key, v, origin: id), to: i))
                        case .failure(let why): refused.append((i, why.text))
                        }
                    }
                    guard let first = refused.first else { continue }
                    // One event: for the one configuration that refused, or run-wide naming them
                    // when only some of several did.
                    let some = refused.count > 1 && refused.count < reached.count
                    event(.rejected, "\(shown): \(first.why)" + (some ? " (for \(refused.map { targets[$0.index].name }.joined(separator: ", ")))" : "") + suffix,
                          for: refused.count == 1 ? first.index : nil)
                }
            }
        }
        return out
    }

    struct Refusal: Error { var text: String }

    /// `value` as the hyperparameter's type, within its domain; why not, without repeating the value.
    static func typed(_ value: RunCommand.Value, for key: HyperKey, in h: Hyperparameters) -> Result<HyperValue, Refusal> {
        guard let info = try? h.schema.info(key) else { return .failure(Refusal(text: "\(h.kind) has no such hyperparameter")) }
        let candidate: HyperValue
        switch (info.domain, value) {
        case (.real, .number(let x)): candidate = .number(x)
        case (.flag, .bool(let b)): candidate = .flag(b)
        case (.choice, .string(let s)): candidate = .choice(s)
        case (.real, _): return .failure(Refusal(text: "expected a number \(info.rangeText), got \(typeName(value))"))
        case (.flag, _): return .failure(Refusal(text: "expected true or false, got \(typeName(value))"))
        case let (.choice(options), _):
            return .failure(Refusal(text: "expected one of \(options.joined(separator: ", ")) (a string), got \(typeName(value))"))
        }
        do { try info.validate(candidate, solver: h.kind.rawValue) } catch {
            return .failure(Refusal(text: "must be \(info.rangeText)"))
        }
        // A rule that links two values (SGD's nesterov needs momentum > 0) is checked here too,
        // on the values in force, so a set to every configuration is refused once, not once
        // by each worker.
        var probe = h
        do { try probe.set(key, candidate) } catch { return .failure(Refusal(text: error.message)) }
        return .success(candidate)
    }

    private static func typeName(_ value: RunCommand.Value) -> String {
        switch value {
        case .number: "a number"
        case .bool: "a boolean"
        case .string: "a string"
        }
    }
}
