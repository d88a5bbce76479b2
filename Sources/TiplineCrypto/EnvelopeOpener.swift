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
    /// The recipient's key pairs: an identity key and any receiving keys
    /// (PROTOCOL.md §3.4); the first whose key id the envelope names opens it.
    private let keyPairs: [(id: KeyId, pair: BoxKeyPair)]
    private let contentKey: SecureBytes
    private var plaintext: SecureBytes

    public convenience init(keyPair: BoxKeyPair) {
        self.init(keyPairs: [keyPair])
    }

    public init(keyPairs: [BoxKeyPair]) {
        Sodium.ensureInitialized()
        self.keyPairs = keyPairs.map { ($0.publicKey.keyId, $0) }
        contentKey = SecureBytes(count: Envelope.contentKeyByteCount) { _ in }
        plaintext = SecureBytes(count: 4096) { _ in }
    }

    /// Opens `envelope` with the content key its case archive kept
    /// (``CaseArchive``: `archived` sealed under `archiveKey`, bound to
    /// `envelopeHash`) or, without one or when it does not open, with the
    /// first key pair the envelope is sealed to; lends `body` the content and
    /// the content key (to keep in the archive). The commitment (§4.4 step 8)
    /// is checked either way, so an archived key opens only its own envelope.
    public func open<R>(_ envelope: [UInt8], archived: [UInt8]?, archiveKey: SecureBytes?, envelopeHash: [UInt8],
                        _ body: (_ content: UnsafeRawBufferPointer, _ contentKey: UnsafeRawBufferPointer) throws -> R) throws -> R {
        let header = try EnvelopeHeader(parsing: envelope)
        defer { contentKey.withUnsafeMutableBytes { sodium_memzero($0.baseAddress!, $0.count) } }
        let fromArchive: Bool = if let archived, let archiveKey {
            contentKey.withUnsafeMutableBytes { CaseArchive.open(archived, envelopeHash: envelopeHash, archiveKey: archiveKey, into: $0) }
        } else {
            false
        }
        if !fromArchive { try unwrap(header) }
        return try decrypt(envelope, header) { content in
            try contentKey.withUnsafeBytes { try body(content, $0) }
        }
    }

    /// Opens `envelope` and lends its content to `body`. The content is
    /// zeroed as soon as `body` returns; copy out only what must outlive it.
    public func open<R>(_ envelope: [UInt8], expecting: EnvelopeExpectation? = nil,
                        _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let header = try EnvelopeHeader(parsing: envelope)
        if let expecting { try header.check(expecting) }
        defer { contentKey.withUnsafeMutableBytes { sodium_memzero($0.baseAddress!, $0.count) } }
        try unwrap(header)
        return try decrypt(envelope, header, body)
    }

    /// §4.4 steps 6–7 into `contentKey`, with the first key pair the envelope names.
    private func unwrap(_ header: EnvelopeHeader) throws {
        var found: (EnvelopeRecipient, BoxKeyPair)?
        for recipient in header.recipients {
            if let pair = keyPairs.first(where: { $0.id == recipient.keyId }) { found = (recipient, pair.pair); break }
        }
        guard let (mine, keyPair) = found else { throw EnvelopeError.notARecipient }
        guard mine.wrappedKey.count == SealedBox.overhead + Envelope.contentKeyByteCount else { throw EnvelopeError.wrappedKeyInvalid }
        let unwrapped = contentKey.withUnsafeMutableBytes { k in
            keyPair.secretKey.withUnsafeBytes { sk in
                crypto_box_seal_open(k.baseAddress!.assumingMemoryBound(to: UInt8.self), mine.wrappedKey, UInt64(mine.wrappedKey.count),
                                     keyPair.publicKey.bytes, sk.baseAddress!.assumingMemoryBound(to: UInt8.self)) == 0
            }
        }
        guard unwrapped else { throw EnvelopeError.wrappedKeyInvalid }
    }

    /// §4.4 steps 8–10 with the content key in `contentKey`.
    private func decrypt<R>(_ envelope: [UInt8], _ header: EnvelopeHeader,
                            _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
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
