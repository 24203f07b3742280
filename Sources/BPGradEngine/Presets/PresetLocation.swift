/// Where a preset was found: a file, or the presets compiled into the binary.
public enum PresetLocation: Sendable, Equatable, CustomStringConvertible {
    case file(String)
    case builtIn(name: String)

    /// A path, or "built in" (what `bpgrad-tui presets` prints and error messages name).
    public var description: String {
        switch self {
        case .file(let path): path
        case .builtIn(let name): "built-in preset '\(name)'"
        }
    }
}
