import Foundation
import TiplineCrypto

/// Streams one attachment from the server through the decryptor into a
/// 0600 file, checking the tipster's content hash at the end. A stream that
/// fails to decrypt or verify leaves no file behind.
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
        let decryptor = AttachmentDecryptor(key: entry.key)
        let hash = StreamingHash(AttachmentFile.contentHashLabel)
        var received: UInt64 = 0
        let write: (UnsafeRawBufferPointer) throws -> Void = { plaintext in
            hash.update(plaintext)
            var offset = 0
            while offset < plaintext.count {
                let n = Glibc.write(fd, plaintext.baseAddress! + offset, plaintext.count - offset)
                guard n > 0 else { throw POSIXError(.EIO) }
                offset += n
            }
        }
        try await connection.downloadAttachment(id: id, as: key) { piece in
            received += UInt64(piece.count)
            try decryptor.feed(piece, emit: write)
            progress(received)
        }
        try decryptor.finish(emit: write)
        guard hash.finalize() == entry.contentHash else { throw ContentError.attachmentMismatch(name: entry.name) }
        guard fsync(fd) == 0 else { throw POSIXError(.EIO) }
        complete = true
    }
}
