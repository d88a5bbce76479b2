import CSodium

/// Decrypts an attachment stream fed in pieces of any size, holding at most
/// one ciphertext chunk in memory (proto/PROTOCOL.md §5). Call ``finish(emit:)``
/// at the end of input: only then is a truncated stream detectable.
///
/// Plaintext is lent to `emit` from one locked buffer that is reused for
/// every chunk; copy out what you need before returning.
/// Not thread-safe: one decryptor belongs to one download.
public final class AttachmentDecryptor {
    private let key: SecureBytes
    private var state: SecureBytes?
    private var headerBuffer: [UInt8] = []
    private var pending: [UInt8] = []
    private var chunkIndex: UInt64 = 0
    private var sawFinal = false
    private var plaintextBytes: UInt64 = 0
    /// One chunk of plaintext, in locked memory, reused for every chunk.
    private let plaintext = SecureBytes(count: AttachmentStream.chunkSize) { _ in }
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
    public func feed(_ bytes: some Collection<UInt8>, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
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
                try decryptPending(atEnd: false, emit: emit)
            }
        }
    }

    /// Ends the stream: decrypts what is buffered and checks that the FINAL
    /// chunk was seen and nothing followed it.
    public func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard state != nil else { throw AttachmentStreamError.truncatedHeader }
        if !pending.isEmpty {
            if sawFinal { throw AttachmentStreamError.trailingData }
            try decryptPending(atEnd: true, emit: emit)
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

    private func decryptPending(atEnd: Bool, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        let index = chunkIndex
        guard pending.count >= AttachmentStream.chunkOverhead else {
            throw AttachmentStreamError.chunkAuthenticationFailed(index: index)
        }
        var tag: UInt8 = 0
        let size = pending.count - AttachmentStream.chunkOverhead
        let ok = plaintext.withUnsafeMutableBytes { out in
            state!.withUnsafeMutableBytes { s in
                crypto_secretstream_xchacha20poly1305_pull(
                    s.baseAddress!.assumingMemoryBound(to: crypto_secretstream_xchacha20poly1305_state.self),
                    out.baseAddress!.assumingMemoryBound(to: UInt8.self), nil, &tag,
                    pending, UInt64(pending.count), nil, 0) == 0
            }
        }
        guard ok else { throw AttachmentStreamError.chunkAuthenticationFailed(index: index) }
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
        try plaintext.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[0..<size])) }
    }
}
