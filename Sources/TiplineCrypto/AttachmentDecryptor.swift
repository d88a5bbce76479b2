import CSodium

/// Decrypts an attachment stream fed in pieces of any size, holding at most
/// one ciphertext chunk in memory (proto/PROTOCOL.md §5). Call ``finish()``
/// at the end of input: only then is a truncated stream detectable.
/// Not thread-safe: one decryptor belongs to one download.
public final class AttachmentDecryptor {
    private let key: SecureBytes
    private var state: SecureBytes?
    private var headerBuffer: [UInt8] = []
    private var pending: [UInt8] = []
    private var chunkIndex: UInt64 = 0
    private var sawFinal = false
    private var plaintextBytes: UInt64 = 0
    /// The most ciphertext bytes ever buffered at once, so tests can prove memory stays bounded.
    public private(set) var peakBufferedBytes = 0

    private static let fullChunk = AttachmentStream.chunkSize + AttachmentStream.chunkOverhead

    public init(key: SecureBytes) {
        Sodium.ensureInitialized()
        precondition(key.count == AttachmentStream.keyByteCount, "attachment key must be 32 bytes")
        self.key = key
        pending.reserveCapacity(Self.fullChunk)
    }

    /// Consumes ciphertext and hands every plaintext chunk it completes to `emit`.
    public func feed(_ bytes: some Collection<UInt8>, emit: (SecureBytes) throws -> Void) throws {
        var input = bytes[...]
        if state == nil {
            let need = AttachmentStream.headerByteCount - headerBuffer.count
            headerBuffer.append(contentsOf: input.prefix(need))
            input = input.dropFirst(min(need, input.count))
            guard headerBuffer.count == AttachmentStream.headerByteCount else { return }
            try startStream()
        }
        while !input.isEmpty {
            if sawFinal { throw AttachmentStreamError.trailingData }
            let take = min(Self.fullChunk - pending.count, input.count)
            pending.append(contentsOf: input.prefix(take))
            input = input.dropFirst(take)
            peakBufferedBytes = max(peakBufferedBytes, pending.count)
            if pending.count == Self.fullChunk {
                try emit(try decryptPending(atEnd: false))
            }
        }
    }

    /// Ends the stream: decrypts what is buffered and checks that the FINAL
    /// chunk was seen and nothing followed it.
    public func finish(emit: (SecureBytes) throws -> Void) throws {
        guard state != nil else { throw AttachmentStreamError.truncatedHeader }
        if !pending.isEmpty {
            if sawFinal { throw AttachmentStreamError.trailingData }
            try emit(try decryptPending(atEnd: true))
        }
        guard sawFinal else { throw AttachmentStreamError.truncated }
    }

    private func startStream() throws {
        guard Array(headerBuffer[0..<4]) == AttachmentStream.magic else { throw AttachmentStreamError.badMagic }
        guard headerBuffer[4] == AttachmentStream.formatVersion else {
            throw AttachmentStreamError.unsupportedFormat(headerBuffer[4])
        }
        let ssHeader = Array(headerBuffer[5...])
        var ok = false
        let newState = SecureBytes(count: crypto_secretstream_xchacha20poly1305_statebytes()) { s in
            key.withUnsafeBytes { k in
                ok = crypto_secretstream_xchacha20poly1305_init_pull(
                    s.baseAddress!.assumingMemoryBound(to: crypto_secretstream_xchacha20poly1305_state.self),
                    ssHeader, k.baseAddress!.assumingMemoryBound(to: UInt8.self)) == 0
            }
        }
        guard ok else { throw AttachmentStreamError.invalidHeader }
        state = newState
    }

    private func decryptPending(atEnd: Bool) throws -> SecureBytes {
        let index = chunkIndex
        guard pending.count >= AttachmentStream.chunkOverhead else {
            throw AttachmentStreamError.chunkAuthenticationFailed(index: index)
        }
        var tag: UInt8 = 0
        var ok = false
        let plain = SecureBytes(count: pending.count - AttachmentStream.chunkOverhead) { out in
            state!.withUnsafeMutableBytes { s in
                ok = crypto_secretstream_xchacha20poly1305_pull(
                    s.baseAddress!.assumingMemoryBound(to: crypto_secretstream_xchacha20poly1305_state.self),
                    out.baseAddress!.assumingMemoryBound(to: UInt8.self), nil, &tag,
                    pending, UInt64(pending.count), nil, 0) == 0
            }
        }
        guard ok else { throw AttachmentStreamError.chunkAuthenticationFailed(index: index) }
        let size = plain.count
        pending.removeAll(keepingCapacity: true)
        chunkIndex += 1
        switch tag {
        case AttachmentStream.tagFinal:
            // A non-empty file never ends with an empty final chunk.
            if size == 0 && plaintextBytes > 0 { throw AttachmentStreamError.nonCanonicalChunking(index: index) }
            sawFinal = true
        case AttachmentStream.tagMessage:
            // Only a full chunk may be non-final; a short one means the stream was cut.
            if size != AttachmentStream.chunkSize {
                throw atEnd ? AttachmentStreamError.truncated : AttachmentStreamError.nonCanonicalChunking(index: index)
            }
        default:
            throw AttachmentStreamError.unexpectedTag(index: index)
        }
        plaintextBytes += UInt64(size)
        return plain
    }
}
