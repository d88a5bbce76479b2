import CSodium

/// Encrypts one attachment chunk by chunk (proto/PROTOCOL.md §5). The
/// secretstream state, which contains key material, lives in locked memory.
/// Not thread-safe: one encryptor belongs to one upload.
public final class AttachmentEncryptor {
    /// `magic || format || secretstream_header`: the first bytes of the stream.
    public let header: [UInt8]
    private let state: SecureBytes
    private var finished = false

    public init(key: SecureBytes, random: some RandomSource = SystemRandom()) {
        Sodium.ensureInitialized()
        precondition(key.count == AttachmentStream.keyByteCount, "attachment key must be 32 bytes")
        var ssHeader = [UInt8](repeating: 0, count: AttachmentStream.secretstreamHeaderByteCount)
        state = SecureBytes(count: crypto_secretstream_xchacha20poly1305_statebytes()) { s in
            key.withUnsafeBytes { k in
                _ = crypto_secretstream_xchacha20poly1305_init_push(
                    s.baseAddress!.assumingMemoryBound(to: crypto_secretstream_xchacha20poly1305_state.self),
                    &ssHeader, k.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        if !random.isSystem {
            // init_push draws its nonce from the system RNG; a seeded source
            // (test vectors) re-keys the state from a header it chose itself.
            ssHeader = random.bytes(AttachmentStream.secretstreamHeaderByteCount)
            state.withUnsafeMutableBytes { s in
                key.withUnsafeBytes { k in
                    _ = crypto_secretstream_xchacha20poly1305_init_pull(
                        s.baseAddress!.assumingMemoryBound(to: crypto_secretstream_xchacha20poly1305_state.self),
                        ssHeader, k.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
            }
        }
        header = AttachmentStream.magic + [AttachmentStream.formatVersion] + ssHeader
    }

    /// Encrypts one chunk: exactly ``AttachmentStream/chunkSize`` bytes unless
    /// `final`, when it may be shorter. Nothing may be pushed after the final chunk.
    public func push(_ chunk: ArraySlice<UInt8>, final: Bool) -> [UInt8] {
        precondition(!finished, "attachment stream already finished")
        precondition(chunk.count <= AttachmentStream.chunkSize && (final || chunk.count == AttachmentStream.chunkSize),
                     "non-final chunks must be exactly chunkSize bytes")
        finished = final
        var out = [UInt8](repeating: 0, count: chunk.count + AttachmentStream.chunkOverhead)
        state.withUnsafeMutableBytes { s in
            chunk.withUnsafeBufferPointer { c in
                _ = crypto_secretstream_xchacha20poly1305_push(
                    s.baseAddress!.assumingMemoryBound(to: crypto_secretstream_xchacha20poly1305_state.self),
                    &out, nil, c.baseAddress, UInt64(c.count), nil, 0,
                    final ? AttachmentStream.tagFinal : AttachmentStream.tagMessage)
            }
        }
        return out
    }
}
