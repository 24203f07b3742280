/// Everything a user can get wrong, each with a one-paragraph explanation that names
/// the file, the field and what was expected. Inputs are checked (sizes with overflow-checked
/// arithmetic, files before they are read) so that what a user gives ends here rather than in
/// a trap; the remaining preconditions guard the program's own invariants.
public enum EngineError: Error, CustomStringConvertible, Equatable {
    /// A preset file (or `--set` override) that does not parse or does not make sense.
    case preset(file: String, line: Int?, field: String, message: String)
    /// A preset name that matches no file in the search path.
    case unknownPreset(name: String, known: [String])
    /// A data file that is missing, truncated or malformed.
    case dataset(path: String, message: String)
    /// Layers whose shapes do not fit together.
    case shape(layer: String, message: String)
    /// A value that is out of range (a hyperparameter, a step count...).
    case invalidValue(field: String, message: String)
    /// Writing a log or run directory failed.
    case io(path: String, message: String)
    /// Something would need more memory than the budget allows (`needed` nil: the size does
    /// not even fit in 64 bits). `breakdown` says where the bytes go.
    case memoryBudget(subject: String, needed: Int?, budget: Int, breakdown: String)

    /// The explanation alone, without the file or field it is about (to re-attach elsewhere).
    public var message: String {
        switch self {
        case let .preset(_, _, _, message), let .dataset(_, message), let .shape(_, message),
             let .invalidValue(_, message), let .io(_, message):
            return message
        case .unknownPreset, .memoryBudget:
            return description
        }
    }

    public var description: String {
        switch self {
        case let .preset(file, line, field, message):
            let place = line.map { "\(file):\($0)" } ?? file
            return field.isEmpty ? "preset \(place): \(message)" : "preset \(place): field '\(field)': \(message)"
        case let .unknownPreset(name, known):
            return "unknown preset '\(name)': no file \(name).yaml in the preset folders. Known presets: \(known.isEmpty ? "(none)" : known.joined(separator: ", ")). Give a name from this list or a path to a .yaml file."
        case let .dataset(path, message):
            return "dataset \(path): \(message)"
        case let .shape(layer, message):
            return "network: \(layer): \(message)"
        case let .invalidValue(field, message):
            return "\(field): \(message)"
        case let .io(path, message):
            return "\(path): \(message)"
        case let .memoryBudget(subject, needed, budget, breakdown):
            let detail = breakdown.isEmpty ? "" : " (\(breakdown))"
            guard let needed else {
                return "\(subject) would need more memory than a 64-bit size can count\(detail); make it smaller."
            }
            return "\(subject) would need \(NumberText.bytes(needed)) of memory\(detail), more than the memory budget of \(NumberText.bytes(budget)). "
                + "Make it smaller, or raise the budget with --set training.memory_budget_mb=N "
                + "(at most \(MemoryBudget.physicalMegabytes), this machine's memory in MiB)."
        }
    }
}
