import Foundation
import TiplineCrypto

/// A file the tipster attaches: its name, size, a fresh key, and the hash of
/// its content, which goes into the sealed tip's manifest. Reading it costs
/// one pass to hash and one to encrypt while uploading; nothing is written
/// anywhere, and at most a few chunks are in memory at once.
public final class AttachmentFile: Sendable {
    public static let contentHashLabel = "tipline/v1/attachment-content"

    public let path: String
    /// The base name only: the tipster's directories stay on the device.
    public let name: String
    public let size: UInt64
    public let key: SecureBytes
    public let contentHash: [UInt8]

    public init(path: String) throws {
        var status = stat()
        guard stat(path, &status) == 0 else { throw TipsterError.unreadableFile(path) }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw TipsterError.unreadableFile(path) }
        self.path = path
        name = String((path as NSString).lastPathComponent.prefix(255))
        size = UInt64(status.st_size)
        key = AttachmentStream.newKey()
        let hash = StreamingHash(Self.contentHashLabel)
        try Self.read(path) { hash.update($0) }
        contentHash = hash.finalize()
    }

    /// The encrypted stream's length.
    public var encryptedSize: UInt64 { AttachmentStream.encryptedLength(ofPlaintextLength: size) }

    /// Calls `body` with successive pieces of the file, at most one chunk each.
    static func read(_ path: String, _ body: ([UInt8]) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw TipsterError.unreadableFile(path) }
        defer { try? handle.close() }
        while true {
            let data = try handle.read(upToCount: AttachmentStream.chunkSize) ?? Data()
            if data.isEmpty { return }
            try body(Array(data))
        }
    }
}
