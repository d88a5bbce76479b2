import Foundation
import TiplineCrypto

/// Streams one attachment from the server through the decryptor, checking
/// the tipster's content hash at the end: into a 0600 file (``save``), or
/// into memory for a tip's text (``read``). A stream that fails to decrypt
/// or verify leaves no file behind and returns nothing.
enum AttachmentDownload {
    static func save(id: [UInt8], entry: TipCase.ManifestEntry, to path: String, over connection: TiplineConnection,
                     as key: SigningKeyPair, progress: @escaping @Sendable (UInt64) -> Void) async throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CocoaError(.fileWriteFileExists, userInfo: [NSFilePathErrorKey: path]) }
        var complete = false
        defer {
            close(fd)
            if !complete { unlink(path) }
        }
        try await stream(id: id, entry: entry, over: connection, as: key, progress: progress) { plaintext in
            var offset = 0
            while offset < plaintext.count {
                let n = Glibc.write(fd, plaintext.baseAddress! + offset, plaintext.count - offset)
                guard n > 0 else { throw POSIXError(.EIO) }
                offset += n
            }
        }
        guard fsync(fd) == 0 else { throw POSIXError(.EIO) }
        complete = true
    }

    /// The attachment's verified plaintext, in memory. The manifest's size
    /// bounds what is kept: a stream that decrypts to more is refused as
    /// soon as it passes that size, not after it has filled memory.
    static func read(id: [UInt8], entry: TipCase.ManifestEntry, over connection: TiplineConnection,
                     as key: SigningKeyPair) async throws -> [UInt8] {
        guard entry.size <= UInt64(TipCase.maximumTextBytes) else { throw ContentError.attachmentMismatch(name: entry.name) }
        var plaintext: [UInt8] = []
        plaintext.reserveCapacity(Int(entry.size))
        try await stream(id: id, entry: entry, over: connection, as: key, progress: { _ in }) { piece in
            guard UInt64(plaintext.count) + UInt64(piece.count) <= entry.size else {
                throw ContentError.attachmentMismatch(name: entry.name)
            }
            plaintext.append(contentsOf: piece)
        }
        return plaintext
    }

    private static func stream(id: [UInt8], entry: TipCase.ManifestEntry, over connection: TiplineConnection,
                               as key: SigningKeyPair, progress: @escaping @Sendable (UInt64) -> Void,
                               emit: (UnsafeRawBufferPointer) throws -> Void) async throws {
        let decryptor = AttachmentDecryptor(key: entry.key)
        let hash = StreamingHash(AttachmentFile.contentHashLabel)
        var received: UInt64 = 0
        func write(_ plaintext: UnsafeRawBufferPointer) throws {
            hash.update(plaintext)
            try emit(plaintext)
        }
        try await connection.downloadAttachment(id: id, as: key) { piece in
            received += UInt64(piece.count)
            try decryptor.feed(piece, emit: write)
            progress(received)
        }
        try decryptor.finish(emit: write)
        guard hash.finalize() == entry.contentHash else { throw ContentError.attachmentMismatch(name: entry.name) }
    }
}
