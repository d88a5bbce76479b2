import Foundation
import TiplineCrypto

/// A file the tipster attaches: its name, size, and the hash of its content,
/// which go into the sealed tip's manifest with its key. The key comes from
/// the codename and that hash (``CodenameKeys/attachmentKey(contentHash:)``),
/// so the same file can be sent again later with the codename alone. Reading it costs
/// one pass to hash and one to encrypt while uploading; nothing is written
/// anywhere, and at most a few chunks are in memory at once.
///
/// The tip's own text becomes one too when it is too long for an envelope
/// (``TipDraft/preparedForSending()``); that one is held in memory, never
/// written to a file.
public final class AttachmentFile: Sendable {
    public static let contentHashLabel = "tipline/v1/attachment-content"
    /// The name a long text travels under, which older readers show as a file.
    public static let textName = "tip-text.txt"

    /// The file's path, or "" for the tip's text.
    public let path: String
    /// The base name only: the tipster's directories stay on the device.
    public let name: String
    public let size: UInt64
    public let contentHash: [UInt8]
    /// The tip's text, when this attachment is it (PROTOCOL.md §17, "Long texts").
    let text: SecureBytes?
    /// Whether this attachment is the tip's text rather than a file.
    public var isText: Bool { text != nil }

    public init(path: String) throws {
        var status = stat()
        guard stat(path, &status) == 0 else { throw TipsterError.unreadableFile(path) }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw TipsterError.unreadableFile(path) }
        self.path = path
        name = String((path as NSString).lastPathComponent.prefix(255))
        size = UInt64(status.st_size)
        let hash = StreamingHash(Self.contentHashLabel)
        try Self.read(path) { hash.update($0) }
        contentHash = hash.finalize()
        text = nil
    }

    /// The tip's whole text as an attachment (UTF-8).
    init(text: some Collection<UInt8>) {
        path = ""
        name = Self.textName
        let bytes = SecureBytes(copying: text)
        self.text = bytes
        size = UInt64(bytes.count)
        let hash = StreamingHash(Self.contentHashLabel)
        bytes.withUnsafeBytes { hash.update($0) }
        contentHash = hash.finalize()
    }

    /// What errors call this attachment: its path, or "the tip's text".
    var label: String { isText ? "the tip's text" : path }

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
