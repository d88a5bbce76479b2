/// A responder's signed statement of one short-lived X25519 receiving key
/// (proto/PROTOCOL.md §3.4):
///
///     body = "TLRK" || u8(1) || org_pk || responder_id || receiving_pk || u64(not_before) || u64(not_after)
///     statement = body || Sign(responder_sign_sk, "tipline/v1/receiving-key", body)
///
/// Tips are wrapped to these keys rather than to identity keys, so that
/// destroying a key's private half (§3.6) puts what was sealed to it out of
/// reach for good. Trust one only as the result of ``verify(in:now:)``.
public struct ReceivingKeyStatement: Hashable, Sendable {
    public static let magic: [UInt8] = Array("TLRK".utf8)
    public static let formatVersion: UInt8 = 1
    public static let bodyByteCount = 101
    public static let byteCount = bodyByteCount + 64
    /// `LABEL_RECEIVING_KEY_SIGNATURE`.
    public static let signatureContext = "tipline/v1/receiving-key"
    /// How far in the future `not_before` may lie, for clocks that disagree.
    public static let allowedClockSkew: UInt64 = 300
    /// `RK_ACCEPT_GRACE`: how long after `not_after` a server still accepts
    /// an envelope sealed to the key, for a tip sealed just before the key
    /// expired and sent over a slow link (§14.3).
    public static let acceptGrace: UInt64 = 600
    /// `RK_MAX_LIVE`: how many unexpired receiving keys a server keeps per responder (§14.2).
    public static let maximumLivePerResponder = 4

    public let organisationKey: SigningPublicKey
    /// `KeyId(sign_pk)` of the responder whose key this is.
    public let responderId: KeyId
    public let publicKey: BoxPublicKey
    public let notBefore: UInt64
    public let notAfter: UInt64
    public let signature: [UInt8]

    /// The id envelopes name this key by (§4.1).
    public var keyId: KeyId { publicKey.keyId }

    /// Signs a new statement with the responder's identity key.
    public init(organisationKey: SigningPublicKey, responder: SigningKeyPair, publicKey: BoxPublicKey,
                notBefore: UInt64, notAfter: UInt64) {
        self.organisationKey = organisationKey
        self.responderId = responder.publicKey.keyId
        self.publicKey = publicKey
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.signature = responder.sign(
            Self.body(organisationKey, responder.publicKey.keyId, publicKey, notBefore, notAfter),
            context: Self.signatureContext)
    }

    /// Parses the 165 bytes strictly (§3.4 step 1). Nothing is trusted yet.
    public init(parsing bytes: [UInt8]) throws(ReceivingKeyError) {
        guard bytes.count == Self.byteCount else { throw .malformed }
        var reader = ByteReader(bytes)
        do {
            guard try reader.readBytes(4) == Self.magic else { throw ReceivingKeyError.badMagic }
            let format = try reader.readUInt8()
            guard format == Self.formatVersion else { throw ReceivingKeyError.unsupportedFormat(format) }
            organisationKey = SigningPublicKey(bytes: try reader.readBytes(32))!
            responderId = KeyId(bytes: try reader.readBytes(16))!
            publicKey = BoxPublicKey(bytes: try reader.readBytes(32))!
            notBefore = try reader.readUInt64()
            notAfter = try reader.readUInt64()
            signature = try reader.readBytes(64)
        } catch let error as ReceivingKeyError {
            throw error
        } catch {
            throw .malformed
        }
    }

    /// The signed body (101 bytes).
    public var body: [UInt8] { Self.body(organisationKey, responderId, publicKey, notBefore, notAfter) }

    private static func body(_ organisationKey: SigningPublicKey, _ responderId: KeyId, _ publicKey: BoxPublicKey,
                             _ notBefore: UInt64, _ notAfter: UInt64) -> [UInt8] {
        var w = ByteWriter(capacity: bodyByteCount)
        w.write(magic)
        w.write(formatVersion)
        w.write(organisationKey.bytes)
        w.write(responderId.bytes)
        w.write(publicKey.bytes)
        w.write(notBefore)
        w.write(notAfter)
        return w.bytes
    }

    /// `body || signature`, as published and served.
    public var encoded: [UInt8] { body + signature }

    /// §3.4 steps 2–6: genuine, for this bundle's organisation and one of its
    /// responders, whatever the time. Returns that responder.
    public func verifyGenuine(in bundle: KeyBundle) throws(ReceivingKeyError) -> Responder {
        guard organisationKey == bundle.organisationKey else { throw .wrongOrganisation }
        guard let responder = bundle.responder(id: responderId) else { throw .unknownResponder }
        guard responder.signingKey.isValidSignature(signature, for: body, context: Self.signatureContext) else {
            throw .badSignature
        }
        guard notBefore < notAfter, notAfter - notBefore <= UInt64(bundle.receivingKeys.window) else {
            throw .invalidWindow
        }
        guard !bundle.responders.contains(where: { $0.recipientKeyId == keyId }) else { throw .keyIdCollision }
        guard publicKey.bytes.contains(where: { $0 != 0 }) else { throw .invalidKey }
        return responder
    }

    /// All of §3.4: genuine, and valid at `now`. Returns the responder.
    @discardableResult
    public func verify(in bundle: KeyBundle, now: UInt64) throws(ReceivingKeyError) -> Responder {
        let responder = try verifyGenuine(in: bundle)
        guard notBefore <= now + Self.allowedClockSkew else { throw .notYetValid }
        guard now < notAfter else { throw .expired }
        return responder
    }
}
