#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a release signature says about the file it covers (proto/PROTOCOL.md
/// §9.1): its size and `H_32("tipline/v1/release-file", file)`.
public struct ReleaseDigest: Equatable, Sendable {
    public static let hashByteCount = 32
    /// Bytes read at a time, so that a program of any size is hashed in
    /// bounded memory.
    static let readSize = 64 * 1024

    public let size: UInt64
    public let hash: [UInt8]

    public init(size: UInt64, hash: [UInt8]) {
        self.size = size
        self.hash = hash
    }

    /// The digest of bytes already in memory.
    public init(of bytes: [UInt8]) {
        size = UInt64(bytes.count)
        hash = DomainHash.hash(DomainHash.Label.releaseFile, bytes)
    }

    /// The digest of the file at `path`, read in pieces.
    public init(contentsOf path: String) throws(AtomicFile.Failure) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .system(operation: "open", path: path, errno: errno) }
        defer { close(fd) }
        let hasher = StreamingHash(DomainHash.Label.releaseFile, outputLength: Self.hashByteCount)
        var buffer = [UInt8](repeating: 0, count: Self.readSize)
        var total: UInt64 = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                // A directory given as the file fails here, with EISDIR.
                throw .system(operation: "read", path: path, errno: errno)
            }
            if n == 0 { break }
            hasher.update(buffer[0..<n])
            total += UInt64(n)
        }
        size = total
        hash = hasher.finalize()
    }
}
