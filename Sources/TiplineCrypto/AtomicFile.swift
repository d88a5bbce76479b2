#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing secret files so that a crash never leaves a half-written key and
/// no other user can ever read one: a new file created with mode 0600 and
/// `O_EXCL` beside the target, written, `fsync`ed, renamed over the target,
/// and the directory `fsync`ed.
public enum AtomicFile {
    /// Why a file could not be written or read.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// The target exists and overwriting was not allowed.
        case alreadyExists(path: String)
        /// A system call failed with this `errno` (for example ENOSPC when the disk is full).
        case system(operation: String, path: String, errno: Int32)
        /// The file is readable or writable by other users (its mode is given).
        case insecurePermissions(path: String, mode: UInt32)
        /// The file is larger than the caller's limit.
        case tooLarge(path: String, limit: Int)

        public var description: String {
            switch self {
            case .alreadyExists(let p): "\(p) already exists; refusing to overwrite it"
            case .system(let op, let p, let e): "\(op) \(p) failed: \(String(cString: strerror(e)))"
            case .insecurePermissions(let p, let m):
                "\(p) has mode \(String(m, radix: 8)); a key file must be readable by its owner only (chmod 600)"
            case .tooLarge(let p, let limit): "\(p) is larger than \(limit) bytes"
            }
        }
    }

    /// Writes `bytes` to `path` atomically with `mode` (default 0600).
    ///
    /// With `scrubReplaced`, the file replaced is overwritten with zeros and
    /// flushed after the rename, through a handle opened before it (so the
    /// new file is in place first, and a crash never loses both): no older
    /// copy of a keystore whose key was destroyed stays readable through the
    /// file system (PROTOCOL.md §3.6). A copy-on-write file system or an
    /// SSD's remapped blocks may still hold the old bytes; SECURITY.md says so.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600, overwrite: Bool = false,
                             scrubReplaced: Bool = false) throws(Failure) {
        if !overwrite && access(path, F_OK) == 0 { throw .alreadyExists(path: path) }
        let replaced = scrubReplaced ? open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW) : -1
        defer { if replaced >= 0 { close(replaced) } }
        let directory = parentDirectory(of: path)
        var temporary = ""
        var fd: Int32 = -1
        for attempt in 0..<16 {
            let suffix = SystemRandom().bytes(8)
            temporary = "\(path).tmp-\(Hex.encode(suffix))"
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
            if fd >= 0 || errno != EEXIST || attempt == 15 { break }
        }
        guard fd >= 0 else { throw .system(operation: "create", path: temporary, errno: errno) }
        var failure: Failure?
        // umask may have narrowed the mode; make it exactly what was asked.
        if fchmod(fd, mode) != 0 { failure = .system(operation: "chmod", path: temporary, errno: errno) }
        var written = 0
        while failure == nil && written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                failure = .system(operation: "write", path: temporary, errno: errno)
            } else {
                written += n
            }
        }
        if failure == nil && fsync(fd) != 0 { failure = .system(operation: "fsync", path: temporary, errno: errno) }
        if close(fd) != 0 && failure == nil { failure = .system(operation: "close", path: temporary, errno: errno) }
        if failure == nil && rename(temporary, path) != 0 {
            failure = .system(operation: "rename", path: path, errno: errno)
        }
        if let failure {
            unlink(temporary)
            throw failure
        }
        let dirFd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFd >= 0 {
            _ = fsync(dirFd)
            close(dirFd)
        }
        if replaced >= 0 { scrub(replaced) }
    }

    /// Overwrites the whole file behind `fd` with zeros and flushes it.
    private static func scrub(_ fd: Int32) {
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_size > 0 else { return }
        let zeros = [UInt8](repeating: 0, count: 4096)
        var offset: off_t = 0
        while offset < status.st_size {
            let count = min(zeros.count, Int(status.st_size - offset))
            let n = zeros.withUnsafeBytes { pwrite(fd, $0.baseAddress!, count, offset) }
            if n < 0 { if errno == EINTR { continue }; return }
            offset += off_t(n)
        }
        _ = fsync(fd)
    }

    /// Reads a whole file of at most `limit` bytes. With `requirePrivate`, a
    /// file that group or others may access is refused, as ssh refuses keys.
    public static func read(_ path: String, limit: Int, requirePrivate: Bool = false) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .system(operation: "open", path: path, errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .system(operation: "stat", path: path, errno: errno) }
        if requirePrivate && (UInt32(info.st_mode) & 0o077) != 0 {
            throw .insecurePermissions(path: path, mode: UInt32(info.st_mode) & 0o777)
        }
        guard Int(info.st_size) <= limit else { throw .tooLarge(path: path, limit: limit) }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .system(operation: "read", path: path, errno: errno)
            }
            if n == 0 { break }
            filled += n
        }
        return Array(bytes[0..<filled])
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }
}
