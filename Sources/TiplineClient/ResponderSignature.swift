import Foundation
import SwiftProtobuf
import TiplineCrypto
import TiplineProto

/// Signs and checks what responders seal (proto/tipline/v1/content.proto,
/// `SignedContent`; PROTOCOL.md §17.1). An envelope alone proves nothing
/// about its author: anyone with the bundle's public keys can seal one. The
/// signature inside it does. It binds the body to one tip or mailbox and one
/// kind, and (since issue 13) to its author's key id, the bundle version in
/// force for the author, the time, and the case's latest envelope the author
/// had seen, so that an event cannot be replayed later, moved, or read as
/// another responder's.
public enum ResponderSignature {
    /// The context of content signed before issue 13 (`signed_at` 0).
    public static let context = "tipline/v1/responder-content"
    /// The context of content bound to its place.
    public static let eventContext = "tipline/v1/responder-event"

    static func legacySignedBytes(kind: EnvelopeKind, subject: [UInt8], body: [UInt8]) -> [UInt8] {
        var w = ByteWriter(capacity: 2 + subject.count + body.count)
        w.write(kind.rawValue)
        w.writeShortString(subject)
        w.write(body)
        return w.bytes
    }

    /// `u8(kind) || short(subject) || short(signer_key_id) || u64(bundle_version)
    ///  || u64(signed_at) || short(previous_hash) || body`
    public static func signedBytes(kind: EnvelopeKind, subject: [UInt8], signer: KeyId, bundleVersion: UInt64, signedAt: UInt64,
                                   previous: [UInt8], body: [UInt8]) -> [UInt8] {
        var w = ByteWriter(capacity: 96 + subject.count + body.count)
        w.write(kind.rawValue)
        w.writeShortString(subject)
        w.writeShortString(signer.bytes)
        w.write(bundleVersion)
        w.write(signedAt)
        w.writeShortString(previous)
        w.write(body)
        return w.bytes
    }

    /// Serialises `message`, signs it bound to its place, and returns the
    /// `SignedContent` bytes to seal.
    /// - Parameters:
    ///   - bundleVersion: the bundle in force for the signer.
    ///   - signedAt: the signer's clock, Unix seconds (never 0).
    ///   - previous: ``CaseChain/hash(_:)`` of the case's latest envelope the signer has seen.
    public static func sign(_ message: some SwiftProtobuf.Message, kind: EnvelopeKind, subject: [UInt8], key: SigningKeyPair,
                            bundleVersion: UInt64, signedAt: UInt64, previous: [UInt8]) throws -> [UInt8] {
        let body: [UInt8] = try message.serializedBytes()
        let signer = key.publicKey.keyId
        let time = max(signedAt, 1)
        let signed = Tipline_V1_SignedContent.with {
            $0.signerKeyID = Data(signer.bytes)
            $0.body = Data(body)
            $0.bundleVersion = bundleVersion
            $0.signedAt = time
            $0.previousHash = Data(previous)
            $0.signature = Data(key.sign(signedBytes(kind: kind, subject: subject, signer: signer, bundleVersion: bundleVersion,
                                                     signedAt: time, previous: previous, body: body),
                                         context: eventContext))
        }
        return try signed.serializedBytes()
    }

    /// Content signed the way responders did before issue 13; kept for tests
    /// that show how readers treat it.
    public static func signLegacy(_ message: some SwiftProtobuf.Message, kind: EnvelopeKind, subject: [UInt8],
                                  key: SigningKeyPair) throws -> [UInt8] {
        let body: [UInt8] = try message.serializedBytes()
        return try Tipline_V1_SignedContent.with {
            $0.signerKeyID = Data(key.publicKey.keyId.bytes)
            $0.body = Data(body)
            $0.signature = Data(key.sign(legacySignedBytes(kind: kind, subject: subject, body: body), context: context))
        }.serializedBytes()
    }

    /// Parses opened content as `SignedContent` and checks its signature.
    ///
    /// Bound content must be signed by a responder of the bundle with the
    /// version it names, and no later bundle issued before it was signed may
    /// have removed that responder. Content from before issue 13 is accepted
    /// from a responder of any known bundle, and says so (``SignedEvent/isBound``).
    public static func verify(_ content: [UInt8], kind: EnvelopeKind, subject: [UInt8],
                              bundles: [KeyBundle]) throws(ContentError) -> SignedEvent {
        guard let signed = try? Tipline_V1_SignedContent(serializedBytes: content) else { throw .malformed }
        guard let keyId = KeyId(bytes: Array(signed.signerKeyID)) else { throw .malformed }
        let body = Array(signed.body)
        let signature = Array(signed.signature)
        guard signed.signedAt != 0 else {
            guard let signer = bundles.reversed().lazy.compactMap({ $0.responder(id: keyId) }).first else { throw .unknownSigner }
            guard signer.signingKey.isValidSignature(signature, for: legacySignedBytes(kind: kind, subject: subject, body: body),
                                                     context: context)
            else { throw .badSignature }
            return SignedEvent(signer: signer, body: body, signature: signature, bundleVersion: nil, signedAt: nil, previous: nil)
        }
        guard let bundle = bundles.first(where: { $0.version == signed.bundleVersion }) else {
            throw .unknownBundle(version: signed.bundleVersion)
        }
        guard let signer = bundle.responder(id: keyId) else {
            throw bundles.contains { $0.responder(id: keyId) != nil } ? .notInBundle(version: bundle.version) : .unknownSigner
        }
        let previous = Array(signed.previousHash)
        guard signer.signingKey.isValidSignature(signature, for: signedBytes(kind: kind, subject: subject, signer: keyId,
                                                                             bundleVersion: signed.bundleVersion, signedAt: signed.signedAt,
                                                                             previous: previous, body: body),
                                                 context: eventContext)
        else { throw .badSignature }
        if let revoking = revocation(of: keyId, after: bundle.version, before: signed.signedAt, in: bundles) {
            throw .revokedSigner(version: revoking)
        }
        return SignedEvent(signer: signer, body: body, signature: signature, bundleVersion: signed.bundleVersion,
                           signedAt: signed.signedAt, previous: previous)
    }

    /// How long a bundle takes to reach every responder: a bundle issued
    /// less than this before a signature does not yet count against it.
    public static let revocationGrace: UInt64 = 600

    /// The version of the first bundle after `version`, issued (with the
    /// grace) before `signedAt`, that no longer lists `keyId`; `nil` if none.
    static func revocation(of keyId: KeyId, after version: UInt64, before signedAt: UInt64, in bundles: [KeyBundle]) -> UInt64? {
        bundles.filter { $0.version > version && $0.issuedAt &+ revocationGrace < signedAt }
            .sorted { $0.version < $1.version }
            .first { $0.responder(id: keyId) == nil }?.version
    }
}
