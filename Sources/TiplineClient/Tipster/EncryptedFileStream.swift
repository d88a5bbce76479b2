import Foundation
import TiplineCrypto

/// An attachment's encrypted stream (PROTOCOL.md §5), produced while it is
/// uploaded: the header, then one encrypted chunk per 64 KiB read. One chunk
/// is read ahead to know which is the last. The file's content is hashed
/// again on the way, and a file that changed since its manifest entry was
/// made fails the upload instead of sending something else.
struct EncryptedFileStream: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let file: AttachmentFile
    /// The file's key (``CodenameKeys/attachmentKey(contentHash:)``).
    let key: SecureBytes
    let progress: @Sendable (UInt64) -> Void

    struct AsyncIterator: AsyncIteratorProtocol {
        let file: AttachmentFile
        let key: SecureBytes
        let progress: @Sendable (UInt64) -> Void
        var handle: FileHandle?
        var encryptor: AttachmentEncryptor?
        var lookahead: [UInt8]?
        var hash = StreamingHash(AttachmentFile.contentHashLabel)
        var sent: UInt64 = 0
        /// How far into an in-memory text the stream has read.
        var textOffset = 0
        var done = false

        mutating func readChunk() throws -> [UInt8] {
            if let text = file.text {
                let end = Swift.min(text.count, textOffset + AttachmentStream.chunkSize)
                let chunk = text.withUnsafeBytes { Array($0[textOffset..<end]) }
                textOffset = end
                return chunk
            }
            guard let handle else { return [] }
            var chunk: [UInt8] = []
            chunk.reserveCapacity(AttachmentStream.chunkSize)
            while chunk.count < AttachmentStream.chunkSize {
                guard let data = try handle.read(upToCount: AttachmentStream.chunkSize - chunk.count), !data.isEmpty else { break }
                chunk.append(contentsOf: data)
            }
            return chunk
        }

        mutating func next() async throws -> [UInt8]? {
            if done { return nil }
            if encryptor == nil {
                if !file.isText {
                    guard let opened = FileHandle(forReadingAtPath: file.path) else { throw TipsterError.unreadableFile(file.path) }
                    handle = opened
                }
                let encryptor = AttachmentEncryptor(key: key)
                self.encryptor = encryptor
                lookahead = try readChunk()
                sent += UInt64(encryptor.header.count)
                return encryptor.header
            }
            let current = lookahead ?? []
            let following = current.count == AttachmentStream.chunkSize ? try readChunk() : []
            let final = following.isEmpty
            hash.update(current)
            let piece = encryptor!.push(current[...], final: final)
            lookahead = following
            sent += UInt64(piece.count)
            progress(sent)
            if final {
                done = true
                try? handle?.close()
                guard hash.finalize() == file.contentHash, sent == file.encryptedSize else {
                    throw TipsterError.fileChanged(file.label)
                }
            }
            return piece
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(file: file, key: key, progress: progress) }
}
