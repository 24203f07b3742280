import Foundation

/// What a path names, checked before a reader opens it: a FIFO would block a read forever,
/// a device such as /dev/zero would feed one until memory runs out, and a directory or a
/// missing file deserve a sentence rather than a Foundation error code.
public enum FileCheck {
    public enum Outcome: Equatable {
        case regular(size: Int)
        case unusable(Problem)
    }

    /// Why a path is not a readable regular file; `description` says it in words.
    public enum Problem: Equatable, CustomStringConvertible {
        case notFound
        case pathThroughFile
        case folderNotSearchable
        case symbolicLinkLoop
        case pathTooLong
        case directory
        case namedPipe
        case characterDevice
        case blockDevice
        case socket
        case notRegular
        case permissionDenied
        /// Any other error from stat(2) or access(2), with the system's words.
        case system(String)

        /// What a file of this type is not; nil for a regular file.
        public init?(mode: mode_t) {
            switch mode & S_IFMT {
            case S_IFREG: return nil
            case S_IFDIR: self = .directory
            case S_IFIFO: self = .namedPipe
            case S_IFCHR: self = .characterDevice
            case S_IFBLK: self = .blockDevice
            case S_IFSOCK: self = .socket
            default: self = .notRegular
            }
        }

        public var description: String {
            switch self {
            case .notFound: "file not found"
            case .pathThroughFile: "file not found (a part of the path is not a directory)"
            case .folderNotSearchable: "cannot be reached: permission denied on a folder of the path"
            case .symbolicLinkLoop: "cannot be reached: too many levels of symbolic links"
            case .pathTooLong: "the path is too long"
            case .directory: "is a directory, not a file"
            case .namedPipe: "is a named pipe (FIFO), not a regular file; reading it could block forever"
            case .characterDevice: "is a character device, not a regular file"
            case .blockDevice: "is a block device, not a regular file"
            case .socket: "is a socket, not a regular file"
            case .notRegular: "is not a regular file"
            case .permissionDenied: "cannot be read: permission denied"
            case .system(let words): "cannot be examined (\(words))"
            }
        }
    }

    public static func inspect(_ path: String) -> Outcome {
        var st = stat()
        guard stat(path, &st) == 0 else {
            switch errno {
            case ENOENT: return .unusable(.notFound)
            case ENOTDIR: return .unusable(.pathThroughFile)
            case EACCES: return .unusable(.folderNotSearchable)
            case ELOOP: return .unusable(.symbolicLinkLoop)
            case ENAMETOOLONG: return .unusable(.pathTooLong)
            default: return .unusable(.system(String(cString: strerror(errno))))
            }
        }
        if let problem = Problem(mode: st.st_mode) { return .unusable(problem) }
        guard access(path, R_OK) == 0 else {
            return .unusable(errno == EACCES ? .permissionDenied : .system(String(cString: strerror(errno))))
        }
        return .regular(size: Int(st.st_size))
    }

    /// The size of the regular file at `path`, or the error `make` builds from the problem.
    public static func regularFileSize(_ path: String, _ make: (Problem) -> EngineError) throws(EngineError) -> Int {
        switch inspect(path) {
        case .regular(let size): return size
        case .unusable(let problem): throw make(problem)
        }
    }
}
