import Foundation

/// What a path names, checked before a reader opens it: a FIFO would block a read forever,
/// a device such as /dev/zero would feed one until memory runs out, and a directory or a
/// missing file deserve a sentence rather than a Foundation error code.
public enum FileCheck {
    public enum Outcome: Equatable {
        case regular(size: Int)
        /// Not a readable regular file; `problem` says why in words ("is a directory, not a file").
        case unusable(problem: String)
    }

    public static func inspect(_ path: String) -> Outcome {
        var st = stat()
        guard stat(path, &st) == 0 else {
            switch errno {
            case ENOENT: return .unusable(problem: "file not found")
            case ENOTDIR: return .unusable(problem: "file not found (a part of the path is not a directory)")
            case EACCES: return .unusable(problem: "cannot be reached: permission denied on a folder of the path")
            case ELOOP: return .unusable(problem: "cannot be reached: too many levels of symbolic links")
            case ENAMETOOLONG: return .unusable(problem: "the path is too long")
            default: return .unusable(problem: "cannot be examined (\(String(cString: strerror(errno))))")
            }
        }
        switch st.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return .unusable(problem: "is a directory, not a file")
        case S_IFIFO: return .unusable(problem: "is a named pipe (FIFO), not a regular file; reading it could block forever")
        case S_IFCHR: return .unusable(problem: "is a character device, not a regular file")
        case S_IFBLK: return .unusable(problem: "is a block device, not a regular file")
        case S_IFSOCK: return .unusable(problem: "is a socket, not a regular file")
        default: return .unusable(problem: "is not a regular file")
        }
        guard access(path, R_OK) == 0 else {
            return .unusable(problem: "cannot be read: \(errno == EACCES ? "permission denied" : String(cString: strerror(errno)))")
        }
        return .regular(size: Int(st.st_size))
    }

    /// The size of the regular file at `path`, or the error `make` builds from the problem.
    public static func regularFileSize(_ path: String, _ make: (String) -> EngineError) throws(EngineError) -> Int {
        switch inspect(path) {
        case .regular(let size): return size
        case .unusable(let problem): throw make(problem)
        }
    }
}
