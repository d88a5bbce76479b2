import CSodium
import TiplineCrypto

/// The baseline for envelopes: bare libsodium doing the cryptographic work an
/// envelope needs and nothing else.
///
/// Seal: a random content key and nonce, N × `crypto_box_seal` of the key,
/// the key commitment (one keyed `crypto_generichash`), `sodium_pad` and one
/// `crypto_aead_xchacha20poly1305_ietf_encrypt` with the header as associated
/// data. Open: one `crypto_box_seal_open`, the commitment again and
/// `sodium_memcmp`, one AEAD decrypt and `sodium_unpad`.
///
/// It writes the real wire format (proto/PROTOCOL.md §4.1, format 2), so the benchmark
/// can check that `Envelope.open` accepts its output and that it opens ours:
/// proof that both sides do the same cryptographic work on the same sizes.
/// What it leaves out is exactly the wrapper's cost: computing and sorting
/// key ids, assembling and parsing the header, locked memory for secrets, and
/// fresh arrays for every result. Fixed header fields (magic, kind, context,
/// key ids) are written once, since they do not change between calls.
final class BareEnvelope {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// magic (4) + format (1) + kind (1) + context (32) + count (1).
    private static let recipientsOffset = 39
    private static let keyBytes = Int(crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
    private static let nonceBytes = Int(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
    private static let tagBytes = Int(crypto_aead_xchacha20poly1305_ietf_ABYTES)
    private static let publicKeyBytes = Int(crypto_box_PUBLICKEYBYTES)
    private static let keyIdBytes = KeyId.byteCount
    private static let wrappedBytes = keyBytes + Int(crypto_box_sealbytes())
    private static let recipientBytes = keyIdBytes + wrappedBytes
    private static let commitmentBytes = Envelope.commitmentByteCount
    /// `u8(len(label)) || label`, which the committed bytes follow in the
    /// commitment's input.
    private static let commitmentPrefix = [UInt8(Envelope.commitmentLabel.utf8.count)] + Array(Envelope.commitmentLabel.utf8)

    private let recipientCount: Int
    private let contentCount: Int
    let paddedLength: Int
    let headerCount: Int
    private let nonceOffset: Int
    /// Where the commitment goes: the committed bytes (magic through nonce) end here.
    private let commitmentOffset: Int

    private let recipientKeys: ScratchBuffer
    private let content: ScratchBuffer
    /// The envelope being sealed, rewritten in place by every ``seal()``.
    private let envelope: ScratchBuffer
    private let padded: ScratchBuffer
    private let sealKey: ScratchBuffer
    private let openKey: ScratchBuffer
    /// The commitment's input, `commitmentPrefix || committed`, rewritten per call.
    private let commitmentInput: ScratchBuffer
    private let commitment: ScratchBuffer
    private let opened: ScratchBuffer
    private let openerIndex: Int
    private let openerPublicKey: ScratchBuffer
    private let openerSecretKey: ScratchBuffer

    init(_ fixture: EnvelopeFixture) {
        recipientCount = fixture.keyPairs.count
        contentCount = fixture.content.count
        paddedLength = fixture.paddedLength
        commitmentOffset = Self.recipientsOffset + recipientCount * Self.recipientBytes + Self.nonceBytes
        headerCount = commitmentOffset + Self.commitmentBytes
        nonceOffset = commitmentOffset - Self.nonceBytes

        recipientKeys = ScratchBuffer(count: recipientCount * Self.publicKeyBytes)
        for (i, key) in fixture.publicKeys.enumerated() {
            (recipientKeys.base + i * Self.publicKeyBytes).update(from: key.bytes, count: Self.publicKeyBytes)
        }
        content = ScratchBuffer(count: contentCount)
        content.base.update(from: fixture.content, count: contentCount)
        envelope = ScratchBuffer(count: headerCount + paddedLength + Self.tagBytes)
        padded = ScratchBuffer(count: paddedLength)
        sealKey = ScratchBuffer(count: Self.keyBytes)
        openKey = ScratchBuffer(count: Self.keyBytes)
        commitmentInput = ScratchBuffer(count: Self.commitmentPrefix.count + commitmentOffset)
        commitmentInput.base.update(from: Self.commitmentPrefix, count: Self.commitmentPrefix.count)
        commitment = ScratchBuffer(count: Self.commitmentBytes)
        opened = ScratchBuffer(count: paddedLength)

        var fixed = Envelope.magic + [EnvelopeFormat.sealed.rawValue, EnvelopeKind.tip.rawValue]
        fixed += fixture.context + [UInt8(recipientCount)]
        envelope.base.update(from: fixed, count: fixed.count)
        for (i, id) in fixture.keyIds.enumerated() {
            (envelope.base + Self.recipientsOffset + i * Self.recipientBytes).update(from: id.bytes, count: Self.keyIdBytes)
        }

        openerIndex = fixture.openerIndex
        openerPublicKey = ScratchBuffer(count: Self.publicKeyBytes)
        openerPublicKey.base.update(from: fixture.opener.publicKey.bytes, count: Self.publicKeyBytes)
        openerSecretKey = ScratchBuffer(count: Int(crypto_box_SECRETKEYBYTES))
        fixture.opener.secretKeyCopy().withUnsafeBytes { sk in
            openerSecretKey.base.update(from: sk.bindMemory(to: UInt8.self).baseAddress!, count: sk.count)
        }
    }

    private func wrappedOffset(_ recipient: Int) -> Int {
        Self.recipientsOffset + recipient * Self.recipientBytes + Self.keyIdBytes
    }

    /// `BLAKE2b-32(key = key, commitmentPrefix || envelope[..<commitmentOffset])` into `out`.
    private func commit(_ envelope: UnsafePointer<UInt8>, key: UnsafePointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) {
        (commitmentInput.base + Self.commitmentPrefix.count).update(from: envelope, count: commitmentOffset)
        _ = crypto_generichash(out, Self.commitmentBytes, commitmentInput.base,
                               UInt64(Self.commitmentPrefix.count + commitmentOffset), key, Self.keyBytes)
    }

    /// Seals the content to every recipient into the reused envelope buffer.
    func seal() throws {
        let e = envelope.base
        randombytes_buf(sealKey.base, Self.keyBytes)
        for i in 0..<recipientCount {
            guard crypto_box_seal(e + wrappedOffset(i), sealKey.base, UInt64(Self.keyBytes),
                                  recipientKeys.base + i * Self.publicKeyBytes) == 0
            else { throw Failure(description: "crypto_box_seal failed") }
        }
        randombytes_buf(e + nonceOffset, Self.nonceBytes)
        commit(e, key: sealKey.base, into: e + commitmentOffset)
        padded.base.update(from: content.base, count: contentCount)
        var paddedOut = 0
        guard sodium_pad(&paddedOut, padded.base, contentCount, paddedLength, paddedLength) == 0 else {
            throw Failure(description: "sodium_pad failed")
        }
        _ = crypto_aead_xchacha20poly1305_ietf_encrypt(
            e + headerCount, nil, padded.base, UInt64(paddedLength),
            e, UInt64(headerCount), nil, e + nonceOffset, sealKey.base)
    }

    /// A copy of the last sealed envelope, for the untimed cross-checks.
    var lastSealed: [UInt8] { Array(envelope.bytes) }

    /// Opens `sealed` as the fixture's opener and returns the content length;
    /// the content is left in ``opened``.
    func open(_ sealed: [UInt8]) throws -> Int {
        guard sealed.count == headerCount + paddedLength + Self.tagBytes else {
            throw Failure(description: "envelope has the wrong length")
        }
        return try sealed.withUnsafeBufferPointer { buffer in
            let e = buffer.baseAddress!
            guard crypto_box_seal_open(openKey.base, e + wrappedOffset(openerIndex), UInt64(Self.wrappedBytes),
                                       openerPublicKey.base, openerSecretKey.base) == 0
            else { throw Failure(description: "crypto_box_seal_open failed") }
            commit(e, key: openKey.base, into: commitment.base)
            guard sodium_memcmp(commitment.base, e + commitmentOffset, Self.commitmentBytes) == 0
            else { throw Failure(description: "the key commitment does not match") }
            guard crypto_aead_xchacha20poly1305_ietf_decrypt(
                opened.base, nil, nil, e + headerCount, UInt64(paddedLength + Self.tagBytes),
                e, UInt64(headerCount), e + nonceOffset, openKey.base) == 0
            else { throw Failure(description: "AEAD decryption failed") }
            var length = 0
            guard sodium_unpad(&length, opened.base, paddedLength, paddedLength) == 0 else {
                throw Failure(description: "sodium_unpad failed")
            }
            return length
        }
    }

    /// True when the last ``open(_:)`` recovered `content`.
    func openedEquals(_ content: [UInt8]) -> Bool {
        content.withUnsafeBufferPointer { opened.prefixEquals($0, count: content.count) }
    }
}
