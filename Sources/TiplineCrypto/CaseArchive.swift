import CSodium

/// A responder's case archive: each envelope's content key, kept under the
/// archive key of their keystore, so that the case still opens after the
/// receiving key it was wrapped to is destroyed (proto/PROTOCOL.md §3.6).
///
///     sealed = nonce (24) || XChaCha20-Poly1305(archive_key, nonce,
///              ad = short("tipline/v1/case-archive") || H_32(LABEL_CASE_EVENT, envelope), content_key)
///
/// The envelope stays the evidence and keeps its commitment check: the
/// archived key opens only the envelope whose hash it is bound to, and only
/// if that envelope commits to it. Keys, not plaintext, are kept: 72 bytes a
/// case, and no second copy of any content on disk.
public enum CaseArchive {
    public static let label = "tipline/v1/case-archive"
    public static let sealedByteCount = 24 + 32 + 16
    public static let archiveKeyByteCount = 32

    /// Seals `contentKey` for the envelope whose case-event hash is `envelopeHash`.
    public static func seal(contentKey: UnsafeRawBufferPointer, envelopeHash: [UInt8], archiveKey: SecureBytes,
                            random: some RandomSource = SystemRandom()) -> [UInt8] {
        Sodium.ensureInitialized()
        precondition(contentKey.count == 32 && archiveKey.count == archiveKeyByteCount)
        let nonce = random.bytes(24)
        let ad = associatedData(envelopeHash)
        var out = nonce + [UInt8](repeating: 0, count: 32 + 16)
        out.withUnsafeMutableBufferPointer { o in
            archiveKey.withUnsafeBytes { k in
                _ = crypto_aead_xchacha20poly1305_ietf_encrypt(
                    o.baseAddress! + 24, nil, contentKey.baseAddress!.assumingMemoryBound(to: UInt8.self), 32,
                    ad, UInt64(ad.count), nil, nonce, k.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        return out
    }

    /// Decrypts the content key into `out` (32 bytes, locked memory the
    /// caller reuses); false when `sealed` is not this envelope's under this key.
    public static func open(_ sealed: [UInt8], envelopeHash: [UInt8], archiveKey: SecureBytes,
                            into out: UnsafeMutableRawBufferPointer) -> Bool {
        Sodium.ensureInitialized()
        guard sealed.count == sealedByteCount, archiveKey.count == archiveKeyByteCount, out.count == 32 else { return false }
        let ad = associatedData(envelopeHash)
        return sealed.withUnsafeBufferPointer { s in
            archiveKey.withUnsafeBytes { a in
                crypto_aead_xchacha20poly1305_ietf_decrypt(
                    out.baseAddress!.assumingMemoryBound(to: UInt8.self), nil, nil, s.baseAddress! + 24, 48,
                    ad, UInt64(ad.count), s.baseAddress!, a.baseAddress!.assumingMemoryBound(to: UInt8.self)) == 0
            }
        }
    }

    private static func associatedData(_ envelopeHash: [UInt8]) -> [UInt8] {
        [UInt8(label.utf8.count)] + Array(label.utf8) + envelopeHash
    }
}
