/// The file formats cairo writes from one drawing.
public enum FigureFormat: String, Sendable, CaseIterable {
    case png, svg, pdf

    /// The format a path's extension names (case-insensitive).
    public init(path: String) throws(FigureError) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), let format = FigureFormat(rawValue: name[name.index(after: dot)...].lowercased()) else {
            throw .unknownFormat(path: path)
        }
        self = format
    }
}
