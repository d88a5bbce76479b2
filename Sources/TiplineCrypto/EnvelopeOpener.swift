import CSodium

/// Opens many envelopes with one key pair, reusing one locked buffer for the
/// content key and one for the plaintext instead of allocating fresh locked
/// memory for every envelope. `sodium_malloc` maps and protects pages, and
/// `sodium_free` unmaps them: per envelope, on several threads at once, that
/// serialises the threads on the kernel's memory-map lock and costs more than
/// the cryptography. Same checks and errors as ``Envelope/open(_:with:expecting:)``.
///
/// Not thread-safe: give each thread its own opener.
public final class EnvelopeOpener {
    private let keyPair: BoxKeyPair
    private let keyId: KeyId
    private let contentKey: SecureBytes
    private var plaintext: SecureBytes

    public init(keyPair: BoxKeyPair) {
        Sodium.ensureInitialized()
        self.keyPair = keyPair
        keyId = keyPair.publicKey.keyId
        contentKey = SecureBytes(count: Envelope.contentKeyByteCount) { _ in }
        plaintext = SecureBytes(count: 4096) { _ in }
    }

    /// Opens `envelope` and lends its content to `body`. The content is
    /// zeroed as soon as `body` returns; copy out only what must outlive it.
    public func open<R>(_ envelope: [UInt8], expecting: EnvelopeExpectation? = nil,
                        _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let header = try EnvelopeHeader(parsing: envelope)
        if let expecting { try header.check(expecting) }
        guard let mine = header.recipients.first(where: { $0.keyId == keyId }) else { throw EnvelopeError.notARecipient }
        guard mine.wrappedKey.count == SealedBox.overhead + Envelope.contentKeyByteCount else { throw EnvelopeError.wrappedKeyInvalid }
        defer { contentKey.withUnsafeMutableBytes { sodium_memzero($0.baseAddress!, $0.count) } }
        let unwrapped = contentKey.withUnsafeMutableBytes { k in
            keyPair.secretKey.withUnsafeBytes { sk in
                crypto_box_seal_open(k.baseAddress!.assumingMemoryBound(to: UInt8.self), mine.wrappedKey, UInt64(mine.wrappedKey.count),
                                     keyPair.publicKey.bytes, sk.baseAddress!.assumingMemoryBound(to: UInt8.self)) == 0
            }
        }
        guard unwrapped else { throw EnvelopeError.wrappedKeyInvalid }
        try Envelope.checkCommitment(envelope, header: header, contentKey: contentKey)
        if plaintext.count < header.paddedLength {
            plaintext = SecureBytes(count: header.paddedLength) { _ in }
        }
        defer { plaintext.withUnsafeMutableBytes { sodium_memzero($0.baseAddress!, header.paddedLength) } }
        let length = try plaintext.withUnsafeMutableBytes { out throws(EnvelopeError) in
            try contentKey.withUnsafeBytes { k throws(EnvelopeError) in
                try Envelope.decryptContent(envelope, header: header, contentKey: k, into: out)
            }
        }
        return try plaintext.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0.prefix(length))) }
    }
}
