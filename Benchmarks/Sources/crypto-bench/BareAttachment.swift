import CSodium
import TiplineCrypto

/// The baseline for attachments: a bare `crypto_secretstream_xchacha20poly1305`
/// push/pull loop over 64 KiB chunks, straight from the source buffer into
/// the sink buffer.
///
/// It writes the real stream format (proto/PROTOCOL.md §5: magic, format,
/// secretstream header, chunks, FINAL on the last), so the benchmark can check
/// that ours decrypts its output and that it decrypts ours. What it leaves out
/// is the wrapper's cost: the streaming API's copies in and out of its own
/// buffers, a fresh array or locked allocation per chunk, and the framing checks.
final class BareAttachment {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private static let chunkSize = AttachmentStream.chunkSize
    private static let prefixBytes = AttachmentStream.magic.count + 1
    private static let headerBytes = prefixBytes + Int(crypto_secretstream_xchacha20poly1305_HEADERBYTES)
    private static let chunkOverhead = Int(crypto_secretstream_xchacha20poly1305_abytes())
    private let tagMessage = crypto_secretstream_xchacha20poly1305_tag_message()
    private let tagFinal = crypto_secretstream_xchacha20poly1305_tag_final()

    private let key: ScratchBuffer

    init(key secret: SecureBytes) {
        key = ScratchBuffer(count: secret.count)
        secret.withUnsafeBytes { k in key.base.update(from: k.bindMemory(to: UInt8.self).baseAddress!, count: k.count) }
    }

    /// Encrypts `plaintext` into `sink` and returns the stream's length.
    func encrypt(_ plaintext: UnsafeBufferPointer<UInt8>, into sink: ScratchBuffer) throws -> Int {
        let out = sink.base
        let source = plaintext.baseAddress!
        out.update(from: AttachmentStream.magic + [AttachmentStream.formatVersion], count: Self.prefixBytes)
        var state = crypto_secretstream_xchacha20poly1305_state()
        guard crypto_secretstream_xchacha20poly1305_init_push(&state, out + Self.prefixBytes, key.base) == 0 else {
            throw Failure(description: "init_push failed")
        }
        var read = 0
        var written = Self.headerBytes
        // `repeat` so that an empty file still gets its (empty) FINAL chunk.
        repeat {
            let n = min(Self.chunkSize, plaintext.count - read)
            let isFinal = read + n == plaintext.count
            var produced: UInt64 = 0
            _ = crypto_secretstream_xchacha20poly1305_push(
                &state, out + written, &produced, source + read, UInt64(n), nil, 0,
                isFinal ? tagFinal : tagMessage)
            read += n
            written += Int(produced)
        } while read < plaintext.count
        return written
    }

    /// Decrypts a whole stream into `sink` and returns the plaintext length.
    func decrypt(_ stream: UnsafeBufferPointer<UInt8>, into sink: ScratchBuffer) throws -> Int {
        guard stream.count >= Self.headerBytes else { throw Failure(description: "truncated header") }
        let input = stream.baseAddress!
        var state = crypto_secretstream_xchacha20poly1305_state()
        guard crypto_secretstream_xchacha20poly1305_init_pull(&state, input + Self.prefixBytes, key.base) == 0 else {
            throw Failure(description: "init_pull failed")
        }
        var read = Self.headerBytes
        var written = 0
        var sawFinal = false
        while read < stream.count {
            guard !sawFinal else { throw Failure(description: "data after the final chunk") }
            let n = min(Self.chunkSize + Self.chunkOverhead, stream.count - read)
            var produced: UInt64 = 0
            var tag: UInt8 = 0
            guard crypto_secretstream_xchacha20poly1305_pull(
                &state, sink.base + written, &produced, &tag, input + read, UInt64(n), nil, 0) == 0
            else { throw Failure(description: "chunk failed authentication") }
            sawFinal = tag == tagFinal
            read += n
            written += Int(produced)
        }
        guard sawFinal else { throw Failure(description: "truncated stream") }
        return written
    }
}
