import CSodium

/// Sealing content to many recipients at once (proto/PROTOCOL.md §4).
///
/// A fresh 32-byte content key encrypts the padded content with
/// XChaCha20-Poly1305-IETF; the key is wrapped with `crypto_box_seal` to each
/// recipient. The whole header — format, kind, context (bundle id), every
/// recipient's key id and wrapped key, the nonce and the key commitment — is
/// the AEAD's associated data, so a recipient stripped, added or reordered by
/// anyone without the content key makes the envelope fail to open for everyone.
///
/// The key commitment (format 2) stops the sender: a keyed BLAKE2b of the
/// content key over the rest of the header, checked by every opener before it
/// decrypts. A sender who wraps different keys to different recipients can
/// make the commitment match only one of them, and XChaCha20-Poly1305's lack
/// of key commitment no longer matters, because only one key gets that far.
/// So every recipient who opens an envelope reads the same content.
public enum Envelope {
    /// `TLEV`.
    public static let magic: [UInt8] = Array("TLEV".utf8)
    public static let contextByteCount = 32
    public static let contentKeyByteCount = Int(crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
    public static let nonceByteCount = Int(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
    public static let tagByteCount = Int(crypto_aead_xchacha20poly1305_ietf_ABYTES)
    /// BLAKE2b-256: the sender picks both keys, so what it must not find is a
    /// collision, and 32 bytes keep that at 2^128 work.
    public static let commitmentByteCount = 32
    /// `LABEL_ENVELOPE_COMMITMENT` (§2.3).
    public static let commitmentLabel = "tipline/v1/envelope/key-commitment"
    /// At least 64 recipients are required; 128 leaves room for large teams.
    public static let maxRecipients = 128
    /// The largest content: one byte less than the largest padded length.
    public static let maxContentLength = EnvelopePadding.maximumPaddedLength - 1
    /// The largest envelope §4 allows: format 2, 128 recipients and the 4 MiB
    /// bucket (4,206,703 bytes; a format-1 envelope is 32 bytes shorter). The
    /// server accepts exactly this much, so every content that can be sealed
    /// can also be sent (issue 12 item 5).
    public static let maximumByteCount = headerByteCount(format: .keyCommitting, recipients: maxRecipients)
        + EnvelopePadding.maximumPaddedLength + tagByteCount

    /// The header's length (§4.1): `39 + 96 × recipients + 24`, plus 32 for
    /// the commitment in format 2.
    public static func headerByteCount(format: EnvelopeFormat, recipients: Int) -> Int {
        magic.count + 1 + 1 + contextByteCount + 1 + recipients * EnvelopeRecipient.byteCount + nonceByteCount
            + format.commitmentByteCount
    }

    /// `commitment = BLAKE2b-32(key = content_key, u8(len(label)) || label || committed)`
    /// (§4.1), where `committed` is the header from `magic` through `nonce`.
    ///
    /// The content key is BLAKE2b's key rather than part of the hashed
    /// message: keyed BLAKE2b is a PRF, so the commitment says nothing about
    /// the key to anyone without it, and the key never leaves its locked
    /// buffer. Two keys that give one commitment would be a BLAKE2b collision.
    public static func keyCommitment(contentKey: SecureBytes, committed: ArraySlice<UInt8>) -> [UInt8] {
        precondition(contentKey.count == contentKeyByteCount, "a content key is 32 bytes")
        return DomainHash.keyedHash(commitmentLabel, key: contentKey, message: Array(committed))
    }

    /// Seals `content` to `recipients`, always in format 2 (``EnvelopeFormat/sealed``).
    ///
    /// - Parameters:
    ///   - context: 32 bytes: the id of the bundle the recipients come from
    ///     (for a reply, the tipster's mailbox id).
    ///   - random: the randomness for the content key, nonce and wraps; always
    ///     ``SystemRandom`` outside the test-vector generator.
    public static func seal(
        _ content: some ContiguousBytes,
        kind: EnvelopeKind,
        context: [UInt8],
        to recipients: [BoxPublicKey],
        random: some RandomSource = SystemRandom()
    ) throws(EnvelopeError) -> [UInt8] {
        Sodium.ensureInitialized()
        precondition(context.count == contextByteCount, "envelope context must be 32 bytes")
        guard !recipients.isEmpty else { throw .noRecipients }
        guard recipients.count <= maxRecipients else { throw .tooManyRecipients(recipients.count) }
        let sorted = recipients.map { ($0.keyId, $0) }.sorted { $0.0 < $1.0 }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.0 == b.0 { throw .duplicateRecipient }
        let contentLength = content.withUnsafeBytes { $0.count }
        guard let paddedLength = EnvelopePadding.paddedLength(forContentLength: contentLength) else {
            throw .contentTooLarge(contentLength)
        }

        let format = EnvelopeFormat.sealed
        let contentKey = random.secret(contentKeyByteCount)
        var header = ByteWriter(capacity: headerByteCount(format: format, recipients: sorted.count))
        header.write(magic)
        header.write(format.rawValue)
        header.write(kind.rawValue)
        header.write(context)
        header.write(UInt8(sorted.count))
        for (id, key) in sorted {
            header.write(id.bytes)
            header.write(SealedBox.seal(contentKey, to: key, random: random))
        }
        let nonce = random.bytes(nonceByteCount)
        header.write(nonce)
        header.write(keyCommitment(contentKey: contentKey, committed: header.bytes[...]))
        let headerBytes = header.bytes

        // The padded plaintext is secret, so it is built in locked memory.
        let padded = content.withUnsafeBytes { c in
            SecureBytes(count: paddedLength) { EnvelopePadding.pad(c, into: $0) }
        }
        var envelope = headerBytes
        envelope.append(contentsOf: repeatElement(0, count: paddedLength + tagByteCount))
        envelope.withUnsafeMutableBufferPointer { out in
            padded.withUnsafeBytes { p in
                contentKey.withUnsafeBytes { k in
                    _ = crypto_aead_xchacha20poly1305_ietf_encrypt(
                        out.baseAddress! + headerBytes.count, nil,
                        p.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(p.count),
                        headerBytes, UInt64(headerBytes.count), nil, nonce,
                        k.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
            }
        }
        return envelope
    }

    /// Opens an envelope of either format with one recipient's key pair and
    /// returns the content.
    ///
    /// With `expecting`, the kind, context and exact recipient list are
    /// checked before any decryption, and a mismatch is reported precisely.
    public static func open(
        _ envelope: [UInt8],
        with keyPair: BoxKeyPair,
        expecting: EnvelopeExpectation? = nil
    ) throws(EnvelopeError) -> SecureBytes {
        Sodium.ensureInitialized()
        let header = try EnvelopeHeader(parsing: envelope)
        if let expecting { try header.check(expecting) }
        let myId = keyPair.publicKey.keyId
        guard let mine = header.recipients.first(where: { $0.keyId == myId }) else { throw .notARecipient }
        guard let contentKey = SealedBox.open(mine.wrappedKey, with: keyPair),
              contentKey.count == contentKeyByteCount
        else { throw .wrappedKeyInvalid }
        try checkCommitment(envelope, header: header, contentKey: contentKey)

        // Decrypt, unpad and check the bucket in one locked buffer; only the
        // content's length of it is exposed.
        var failure: EnvelopeError?
        let content = SecureBytes(capacity: header.paddedLength) { out -> Int in
            do throws(EnvelopeError) {
                return try contentKey.withUnsafeBytes { k throws(EnvelopeError) in
                    try decryptContent(envelope, header: header, contentKey: k, into: out)
                }
            } catch {
                failure = error
                return 0
            }
        }
        if let failure { throw failure }
        return content
    }

    /// Step 8 of §4.4: in format 2, the commitment the header carries must be
    /// the one `contentKey` gives, compared in constant time. A recipient
    /// whose wrap holds another key than the one committed to stops here,
    /// before any decryption. Format 1 carries none and passes.
    static func checkCommitment(_ envelope: [UInt8], header: EnvelopeHeader, contentKey: SecureBytes) throws(EnvelopeError) {
        guard let stored = header.commitment else { return }
        let expected = keyCommitment(contentKey: contentKey, committed: envelope[..<header.committedByteCount])
        let equal = stored.withUnsafeBytes { s in
            expected.withUnsafeBytes { e in sodium_memcmp(s.baseAddress!, e.baseAddress!, commitmentByteCount) == 0 }
        }
        guard equal else { throw .commitmentMismatch }
    }

    /// Decrypts the ciphertext after `header` into `out` (at least the padded
    /// length) and checks its padding (steps 9–10 of §4.4); returns the
    /// content's length. Shared by ``open(_:with:expecting:)`` and ``EnvelopeOpener``.
    static func decryptContent(_ envelope: [UInt8], header: EnvelopeHeader, contentKey: UnsafeRawBufferPointer,
                               into out: UnsafeMutableRawBufferPointer) throws(EnvelopeError) -> Int {
        let authentic = envelope.withUnsafeBufferPointer { e in
            crypto_aead_xchacha20poly1305_ietf_decrypt(
                out.baseAddress!.assumingMemoryBound(to: UInt8.self), nil, nil,
                e.baseAddress! + header.byteCount, UInt64(e.count - header.byteCount),
                e.baseAddress!, UInt64(header.byteCount), header.nonce,
                contentKey.baseAddress!.assumingMemoryBound(to: UInt8.self)) == 0
        }
        guard authentic else { throw .authenticationFailed }
        // Canonical: the content must be in the smallest bucket that fits it.
        let padded = UnsafeRawBufferPointer(rebasing: out.prefix(header.paddedLength))
        guard let length = EnvelopePadding.unpaddedLength(of: padded),
              EnvelopePadding.paddedLength(forContentLength: length) == header.paddedLength
        else { throw .invalidPadding }
        return length
    }
}
