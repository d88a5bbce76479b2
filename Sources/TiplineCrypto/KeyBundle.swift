/// The organisation's recipient set: who a tip is sealed to, and which server
/// speaks for the organisation (proto/PROTOCOL.md §3.1).
///
/// A `KeyBundle` is only data. Trust it only as the result of
/// ``SignedKeyBundle/verify(pinned:now:lastSeen:)``.
public struct KeyBundle: Hashable, Sendable {
    /// `TLKB`.
    public static let magic: [UInt8] = Array("TLKB".utf8)
    /// The format new bundles are written in: 2 adds the receiving-key policy.
    public static let formatVersion: UInt8 = 2
    /// Bundles may hold up to 128 responders; every envelope wraps its key to each.
    public static let maxResponders = 128
    /// How far in the future an issue time may lie, for clocks that disagree.
    public static let allowedClockSkew: UInt64 = 300

    /// Monotonic version, starting at 1.
    public let version: UInt64
    /// Unix seconds.
    public let issuedAt: UInt64
    /// Unix seconds; the bundle is refused from this moment on.
    public let expiresAt: UInt64
    public let organisationKey: SigningPublicKey
    /// The server's identity key, which signs the audit chain's head.
    public let serverKey: SigningPublicKey
    /// In canonical order: strictly ascending by ``Responder/recipientKeyId``.
    public let responders: [Responder]
    /// The receiving-key rules (§3.1); ``ReceivingKeyPolicy/legacy`` for format 1.
    public let receivingKeys: ReceivingKeyPolicy
    /// 1 for a bundle written before receiving keys (kept so that it encodes
    /// to the bytes it was signed as), else 2.
    public let format: UInt8

    /// Builds a bundle; the responders are put into canonical order. A writer
    /// MUST write format 2 (§3.1); `format: 1` (with the legacy policy it
    /// implies) only rebuilds bundles of before, for test vectors and tests.
    public init(
        version: UInt64, issuedAt: UInt64, expiresAt: UInt64,
        organisationKey: SigningPublicKey, serverKey: SigningPublicKey, responders: [Responder],
        receivingKeys: ReceivingKeyPolicy = .standard, format: UInt8 = KeyBundle.formatVersion
    ) throws(KeyBundleError) {
        guard format == Self.formatVersion || (format == 1 && receivingKeys == .legacy) else {
            throw .unsupportedFormat(format)
        }
        self.version = version
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.organisationKey = organisationKey
        self.serverKey = serverKey
        self.responders = responders.sorted { $0.recipientKeyId < $1.recipientKeyId }
        self.receivingKeys = receivingKeys
        self.format = format
        try validate()
    }

    private init(unchecked version: UInt64, _ issuedAt: UInt64, _ expiresAt: UInt64,
                 _ organisationKey: SigningPublicKey, _ serverKey: SigningPublicKey, _ responders: [Responder],
                 _ receivingKeys: ReceivingKeyPolicy, format: UInt8) {
        self.version = version
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.organisationKey = organisationKey
        self.serverKey = serverKey
        self.responders = responders
        self.receivingKeys = receivingKeys
        self.format = format
    }

    /// The responder whose ``Responder/recipientKeyId`` (identity key id) is `id`.
    public func responder(recipientKeyId id: KeyId) -> Responder? { responders.first { $0.recipientKeyId == id } }

    /// The organisation's fingerprint, the value tipsters pin.
    public var organisationFingerprint: Fingerprint { Fingerprint(organisationKey: organisationKey) }

    /// The recipient key ids in canonical order: exactly the list an envelope
    /// made for this bundle must carry.
    public var recipientKeyIds: [KeyId] { responders.map(\.recipientKeyId) }

    /// The responders' X25519 keys in canonical order.
    public var recipientKeys: [BoxPublicKey] { responders.map(\.boxKey) }

    /// The responder with this id (the key id of their signing key).
    public func responder(id: KeyId) -> Responder? { responders.first { $0.id == id } }

    /// The canonical body that the organisation signs (proto/PROTOCOL.md §3.1).
    public func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: 128 + responders.count * 140)
        w.write(Self.magic)
        w.write(format)
        w.write(version)
        w.write(issuedAt)
        w.write(expiresAt)
        w.write(organisationKey.bytes)
        w.write(serverKey.bytes)
        w.write(UInt8(responders.count))
        for r in responders {
            w.write(r.signingKey.bytes)
            w.write(r.boxKey.bytes)
            w.write(r.role.rawValue)
            w.writeShortString(Array(r.name.utf8))
        }
        if format >= 2 {
            w.write(receivingKeys.window)
            w.write(receivingKeys.grace)
            w.write(receivingKeys.fallback.rawValue)
        }
        return w.bytes
    }

    /// `H_32("tipline/v1/bundle-id", body)`; envelopes name the bundle they were made for by it.
    public var id: [UInt8] { DomainHash.hash(DomainHash.Label.bundleId, encoded()) }

    /// Signs the body with the organisation's key.
    public func signed(by organisation: SigningKeyPair) -> SignedKeyBundle {
        precondition(organisation.publicKey == organisationKey, "signing key is not the bundle's organisation key")
        let body = encoded()
        return SignedKeyBundle(bundle: self, body: body,
                               signature: organisation.sign(body, context: DomainHash.Label.bundleSignature))
    }

    /// Parses a body strictly: every field in range, canonical order, nothing left over.
    static func decode(_ reader: inout ByteReader) throws(KeyBundleError) -> KeyBundle {
        do {
            guard try reader.readBytes(4) == magic else { throw KeyBundleError.badMagic }
            let format = try reader.readUInt8()
            guard format == 1 || format == formatVersion else { throw KeyBundleError.unsupportedFormat(format) }
            let version = try reader.readUInt64()
            let issuedAt = try reader.readUInt64()
            let expiresAt = try reader.readUInt64()
            let org = SigningPublicKey(bytes: try reader.readBytes(32))!
            let server = SigningPublicKey(bytes: try reader.readBytes(32))!
            let count = Int(try reader.readUInt8())
            var responders = [Responder]()
            responders.reserveCapacity(count)
            for _ in 0..<count {
                let sign = SigningPublicKey(bytes: try reader.readBytes(32))!
                let box = BoxPublicKey(bytes: try reader.readBytes(32))!
                let roleByte = try reader.readUInt8()
                guard let role = ResponderRole(rawValue: roleByte) else { throw KeyBundleError.unknownRole(roleByte) }
                let nameBytes = try reader.readShortString()
                guard let name = String(validating: nameBytes, as: UTF8.self) else { throw KeyBundleError.invalidName }
                responders.append(Responder(name: name, signingKey: sign, boxKey: box, role: role))
            }
            var policy = ReceivingKeyPolicy.legacy
            if format >= 2 {
                let window = try reader.readUInt32()
                let grace = try reader.readUInt32()
                let rule = try reader.readUInt8()
                guard let fallback = ReceivingKeyPolicy.Fallback(rawValue: rule) else { throw KeyBundleError.invalidPolicy }
                policy = try ReceivingKeyPolicy(window: window, grace: grace, fallback: fallback)
            }
            let bundle = KeyBundle(unchecked: version, issuedAt, expiresAt, org, server, responders, policy, format: format)
            try bundle.validate()
            return bundle
        } catch let error as KeyBundleError {
            throw error
        } catch {
            throw .truncated
        }
    }

    /// The structural rules of §3.1, shared by building and parsing.
    func validate() throws(KeyBundleError) {
        guard version >= 1 else { throw .invalidVersion }
        guard expiresAt > issuedAt else { throw .invalidValidityPeriod }
        guard !responders.isEmpty else { throw .noResponders }
        guard responders.count <= Self.maxResponders else { throw .tooManyResponders(responders.count) }
        for r in responders where !Responder.isValidName(r.name) { throw .invalidName }
        for (a, b) in zip(responders, responders.dropFirst()) {
            if a.recipientKeyId == b.recipientKeyId { throw .duplicateResponder }
            if !(a.recipientKeyId < b.recipientKeyId) { throw .respondersNotSorted }
        }
        guard Set(responders.map(\.signingKey)).count == responders.count,
              Set(responders.map(\.name)).count == responders.count
        else { throw .duplicateResponder }
    }
}
