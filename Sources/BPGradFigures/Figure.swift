import Foundation

/// A publication figure: one or more panels laid out in a grid, drawn by cairo into PNG,
/// SVG or PDF from the same drawing.
///
/// Everything in it is plain data (points, colours, labels), so the `plot` command and the
/// dashboard's export build it the same way. Sizes are in points (1/72 inch); PNG is rendered
/// at `pngScale` pixels per point.
public struct Figure: Sendable {
    public var title: String?
    public var panels: [FigurePanel]
    /// Panels per row; rows follow as needed.
    public var columns: Int
    public var panelWidth: Double
    public var panelHeight: Double
    public var pngScale: Double

    public init(title: String? = nil, panels: [FigurePanel], columns: Int = 1, panelWidth: Double = 560, panelHeight: Double = 340,
                pngScale: Double = 2) {
        self.title = title; self.panels = panels; self.columns = max(1, columns)
        self.panelWidth = panelWidth; self.panelHeight = panelHeight; self.pngScale = pngScale
    }

    public var rows: Int { max(1, (panels.count + columns - 1) / columns) }

    static let titleHeight = 26.0

    /// The whole figure's size in points.
    public var size: (width: Double, height: Double) {
        (Double(min(columns, max(panels.count, 1))) * panelWidth,
         Double(rows) * panelHeight + (title == nil ? 0 : Self.titleHeight))
    }

    /// The encoded file contents.
    public func render(_ format: FigureFormat) throws(FigureError) -> [UInt8] {
        guard panelWidth >= 120, panelHeight >= 100, panelWidth <= 20_000, panelHeight <= 20_000, pngScale > 0, pngScale <= 8 else {
            throw .invalidOption(field: "figure size", message: "panels must be 120x100 to 20000x20000 points and the PNG scale in (0, 8]; got \(panelWidth)x\(panelHeight) at \(pngScale)")
        }
        return try CairoRenderer(figure: self).encode(format)
    }

    /// Throws unless the folder `path` would be written into exists and is writable (and,
    /// without `overwrite`, nothing is at `path`, not even a link): a check worth making before
    /// reading a long run, not a guarantee (`write` checks every write).
    public static func checkWritable(_ path: String, overwrite: Bool = true) throws(FigureError) {
        var st = stat()
        if !overwrite, lstat(path, &st) == 0 { throw .exists(path: path) }
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.isEmpty ? "/" : folder, isDirectory: &isDirectory) else {
            throw .cannotWrite(path: path, message: "no folder \(folder)")
        }
        guard isDirectory.boolValue else { throw .cannotWrite(path: path, message: "\(folder) is not a folder") }
        guard access(folder.isEmpty ? "/" : folder, W_OK) == 0 else { throw .cannotWrite(path: path, message: "\(folder) is not writable") }
    }

    /// Renders and writes to `path` (see `writeFile`); the format comes from the extension
    /// unless given. Without `overwrite`, an existing `path` is refused.
    public func write(to path: String, format: FigureFormat? = nil, overwrite: Bool = true) throws(FigureError) {
        let chosen: FigureFormat
        if let format { chosen = format } else { chosen = try FigureFormat(path: path) }
        try Self.writeFile(try render(chosen), to: path, overwrite: overwrite)
    }

    /// Writes `bytes` to `path` through a temporary file in the same folder, so a reader never
    /// sees half a file. The temporary is a fresh name made by mkstemp (O_CREAT | O_EXCL): a
    /// file or link planted in a shared folder is never opened, let alone written through. It
    /// then replaces `path` by rename (which replaces a link there rather than following it),
    /// or, without `overwrite`, is linked to `path`, which fails if anything is there.
    public static func writeFile(_ bytes: [UInt8], to path: String, overwrite: Bool) throws(FigureError) {
        var template = Array((path + ".tmp-\(getpid())-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .cannotWrite(path: path, message: String(cString: strerror(errno))) }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        // mkstemp creates 0600; a figure is readable as other files are (the umask is not
        // read: changing it to read it would race with threads creating files).
        _ = fchmod(fd, 0o644)
        var written = 0
        var failure: String?
        bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0, errno == EINTR { continue }
                if n <= 0 { failure = String(cString: strerror(errno)); return }
                written += n
            }
        }
        if close(fd) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        var exists = false
        if failure == nil {
            if overwrite {
                if rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
            } else if link(temporary, path) == 0 {
                unlink(temporary)
            } else if errno == EEXIST {
                exists = true
            } else {
                // A file system without hard links: check, then rename (a small race).
                var st = stat()
                if lstat(path, &st) == 0 { exists = true } else if rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
            }
        }
        if failure != nil || exists { unlink(temporary) }
        if exists { throw .exists(path: path) }
        if let failure { throw .cannotWrite(path: path, message: failure) }
    }
}
