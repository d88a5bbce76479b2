import Foundation
import SwiftProtobuf
import TiplineCrypto
import TiplineProto

/// A tipster's follow-up, signed with the codename's mailbox key (PROTOCOL.md
/// §17.1). The sealed tip names that key (`TipContent.mailbox_public_key`),
/// so a responder accepts a follow-up as the tipster's only when that key
/// signed it: the server, or whoever holds its disk, cannot put words in the
/// tipster's mouth even by swapping the stored mailbox key.
public enum TipsterSignature {
    public static let context = "tipline/v1/tipster-content"

    /// `u8(kind) || short(mailbox_id) || u64(bundle_version) || u64(signed_at) || body`
    public static func signedBytes(kind: EnvelopeKind, mailboxId: [UInt8], bundleVersion: UInt64, signedAt: UInt64,
                                   body: [UInt8]) -> [UInt8] {
        var w = ByteWriter(capacity: 64 + body.count)
        w.write(kind.rawValue)
        w.writeShortString(mailboxId)
        w.write(bundleVersion)
        w.write(signedAt)
        w.write(body)
        return w.bytes
    }

    /// The `SignedContent` bytes of a follow-up.
    public static func sign(_ message: some SwiftProtobuf.Message, keys: CodenameKeys, bundleVersion: UInt64,
                            signedAt: UInt64) throws -> [UInt8] {
        let body: [UInt8] = try message.serializedBytes()
        let time = max(signedAt, 1)
        return try Tipline_V1_SignedContent.with {
            $0.signerKeyID = Data(keys.mailboxKey.publicKey.keyId.bytes)
            $0.body = Data(body)
            $0.bundleVersion = bundleVersion
            $0.signedAt = time
            $0.signature = Data(keys.mailboxKey.sign(signedBytes(kind: .followUp, mailboxId: keys.mailboxId, bundleVersion: bundleVersion,
                                                                 signedAt: time, body: body),
                                                     context: context))
        }.serializedBytes()
    }

    /// Checks that the tipster's mailbox key `key` signed `content` as a
    /// follow-up; returns the body, the time and the signature.
    public static func verify(_ content: [UInt8], key: SigningPublicKey) throws(ContentError)
        -> (body: [UInt8], signedAt: UInt64, signature: [UInt8]) {
        guard let signed = try? Tipline_V1_SignedContent(serializedBytes: content), signed.signedAt != 0,
              !signed.signature.isEmpty else { throw .unsigned }
        guard Array(signed.signerKeyID) == key.keyId.bytes else { throw .notTheTipster }
        let body = Array(signed.body)
        let mailboxId = DomainHash.hash(DomainHash.Label.mailboxId, key.bytes)
        guard key.isValidSignature(Array(signed.signature), for: signedBytes(kind: .followUp, mailboxId: mailboxId,
                                                                           bundleVersion: signed.bundleVersion,
                                                                           signedAt: signed.signedAt, body: body),
                                   context: context)
        else { throw .notTheTipster }
        return (body, signed.signedAt, Array(signed.signature))
    }
}
