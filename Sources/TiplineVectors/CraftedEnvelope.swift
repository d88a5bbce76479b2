import CSodium
import TiplineCrypto

/// Envelopes built byte by byte from proto/PROTOCOL.md §4, for the vectors
/// and tests that need what ``Envelope/seal(_:kind:context:to:random:)``
/// never writes: format 1 (stored before key commitment), a different
/// content key wrapped to each recipient, or padding no sealer produces.
/// Nothing outside the vectors and the tests uses it.
public enum CraftedEnvelope {
    /// `content || 0x80 || 0x00…` to its bucket (§4.2).
    public static func pad(_ content: [UInt8]) -> [UInt8] {
        guard let padded = EnvelopePadding.paddedLength(forContentLength: content.count) else {
            preconditionFailure("content too long for an envelope")
        }
        return content + [0x80] + [UInt8](repeating: 0, count: padded - content.count - 1)
    }

    /// An envelope of `format` in which each recipient's entry wraps its own
    /// `key`, the commitment (format 2) is made with `committedKey`, and
    /// `padded` is encrypted under `committedKey`. The wraps are drawn from
    /// `random` in key-id order, then the nonce, as ``Envelope`` draws them.
    public static func build(format: EnvelopeFormat, kind: EnvelopeKind = .tip, context: [UInt8],
                             wraps: [(recipient: BoxPublicKey, key: SecureBytes)], committedKey: SecureBytes,
                             padded: [UInt8], random: some RandomSource) -> [UInt8] {
        var w = ByteWriter()
        w.write(Envelope.magic)
        w.write(format.rawValue)
        w.write(kind.rawValue)
        w.write(context)
        let sorted = wraps.sorted { $0.recipient.keyId < $1.recipient.keyId }
        w.write(UInt8(sorted.count))
        for wrap in sorted {
            w.write(wrap.recipient.keyId.bytes)
            w.write(SealedBox.seal(wrap.key, to: wrap.recipient, random: random))
        }
        let nonce = random.bytes(Envelope.nonceByteCount)
        w.write(nonce)
        if format == .keyCommitting {
            w.write(Envelope.keyCommitment(contentKey: committedKey, committed: w.bytes[...]))
        }
        let header = w.bytes
        var ciphertext = [UInt8](repeating: 0, count: padded.count + Envelope.tagByteCount)
        committedKey.withUnsafeBytes { k in
            _ = crypto_aead_xchacha20poly1305_ietf_encrypt(
                &ciphertext, nil, padded, UInt64(padded.count), header, UInt64(header.count), nil, nonce,
                k.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        return header + ciphertext
    }

    /// A format-1 envelope, as sealers wrote them before format 2: one fresh
    /// key wrapped to every recipient, and no commitment. With the same
    /// `random` it gives the bytes the format-1 sealer gave.
    public static func sealFormat1(_ content: [UInt8], kind: EnvelopeKind, context: [UInt8], to recipients: [BoxPublicKey],
                                   random: some RandomSource = SystemRandom()) -> [UInt8] {
        precondition(!recipients.isEmpty && recipients.count <= Envelope.maxRecipients, "1 to 128 recipients")
        let key = random.secret(Envelope.contentKeyByteCount)
        return build(format: .uncommitted, kind: kind, context: context, wraps: recipients.map { ($0, key) },
                     committedKey: key, padded: pad(content), random: random)
    }
}
