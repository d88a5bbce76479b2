import Foundation
import SwiftProtobuf
import TiplineCrypto
import TiplineProto

/// Signs and checks what responders seal (proto/tipline/v1/content.proto,
/// `SignedContent`). An envelope alone proves nothing about its author:
/// anyone with the bundle's public keys can seal one. The signature inside
/// it does, and it binds the body to one tip or mailbox and one kind.
public enum ResponderSignature {
    public static let context = "tipline/v1/responder-content"

    static func signedBytes(kind: EnvelopeKind, subject: [UInt8], body: [UInt8]) -> [UInt8] {
        var w = ByteWriter(capacity: 2 + subject.count + body.count)
        w.write(kind.rawValue)
        w.writeShortString(subject)
        w.write(body)
        return w.bytes
    }

    /// Serialises `message`, signs it, and returns the `SignedContent` bytes to seal.
    public static func sign(_ message: some SwiftProtobuf.Message, kind: EnvelopeKind, subject: [UInt8],
                            key: SigningKeyPair) throws -> [UInt8] {
        let body: [UInt8] = try message.serializedBytes()
        let signed = Tipline_V1_SignedContent.with {
            $0.signerKeyID = Data(key.publicKey.keyId.bytes)
            $0.body = Data(body)
            $0.signature = Data(key.sign(signedBytes(kind: kind, subject: subject, body: body), context: context))
        }
        return try signed.serializedBytes()
    }

    /// Parses opened content as `SignedContent` and checks the signature
    /// against the responders of `bundles` (any version: a note written
    /// before a responder left stays theirs). Returns the signer and the body.
    public static func verify(_ content: [UInt8], kind: EnvelopeKind, subject: [UInt8],
                              bundles: [KeyBundle]) throws(ContentError) -> (signer: Responder, body: [UInt8]) {
        guard let signed = try? Tipline_V1_SignedContent(serializedBytes: content) else { throw .malformed }
        guard let keyId = KeyId(bytes: Array(signed.signerKeyID)) else { throw .malformed }
        guard let signer = bundles.reversed().lazy.compactMap({ $0.responder(id: keyId) }).first else {
            throw .unknownSigner
        }
        let body = Array(signed.body)
        guard signer.signingKey.isValidSignature(Array(signed.signature), for: signedBytes(kind: kind, subject: subject, body: body),
                                                 context: context)
        else { throw .badSignature }
        return (signer, body)
    }
}
