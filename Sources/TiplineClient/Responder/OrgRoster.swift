import Foundation
import TiplineCrypto

/// The organisation admin's working state beside the organisation keystore
/// (`org.key` → `org.roster.json`): the server identity, the enrolled
/// responders, and the last bundle signed. Public material only; the
/// keystore holds the only secret. Every change signs a new bundle version.
public struct OrgRoster: Codable, Sendable {
    public struct Member: Codable, Sendable, Equatable {
        public var name: String
        public var signingKey: String
        public var boxKey: String
        public var role: String
    }

    public var serverKey: String?
    public var members: [Member] = []
    /// Days each new bundle stays valid.
    public var validityDays: UInt64 = 90
    /// The version of the last bundle signed (0 before the first).
    public var version: UInt64 = 0
    /// The last signed bundle, hex: what `org publish` sends.
    public var signedBundle: String?
    /// The server address the last `org publish` reached, so the hint after
    /// an enroll or revoke can print a publish command that works as printed.
    public var publishedTo: String?
    /// The receiving-key policy new bundles carry (PROTOCOL.md §3.1); nil
    /// (a roster from before receiving keys, or never set) is the standard
    /// one: 7-day keys, 14 days' grace, and no tip sealed to an identity key.
    public var receivingWindow: UInt32?
    public var receivingGrace: UInt32?
    public var identityFallback: Bool?

    public init() {}

    /// The policy the next bundle will carry.
    public var receivingKeyPolicy: ReceivingKeyPolicy {
        get throws {
            try ReceivingKeyPolicy(window: receivingWindow ?? ReceivingKeyPolicy.defaultWindow,
                                   grace: receivingGrace ?? ReceivingKeyPolicy.defaultGrace,
                                   fallback: identityFallback == true ? .identity : .skip)
        }
    }

    /// `org.key` → `org.roster.json`; any other name gets `.roster.json` appended.
    public static func path(forOrgKey keyPath: String) -> String {
        keyPath.hasSuffix(".key") ? String(keyPath.dropLast(4)) + ".roster.json" : keyPath + ".roster.json"
    }

    public static func load(from path: String) throws -> OrgRoster {
        let bytes = try AtomicFile.read(path, limit: 1 << 20)
        return try JSONDecoder().decode(OrgRoster.self, from: Data(bytes))
    }

    public func save(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(Array(try encoder.encode(self)), to: path, mode: 0o600, overwrite: true)
    }

    public mutating func enroll(_ identity: ResponderIdentity, role: ResponderRole) throws(OrgRosterError) {
        let signing = Hex.encode(identity.signingKey.bytes)
        guard !members.contains(where: { $0.signingKey == signing || $0.name == identity.name }) else {
            throw .alreadyEnrolled(identity.name)
        }
        guard members.count < KeyBundle.maxResponders else { throw .tooManyResponders }
        members.append(Member(name: identity.name, signingKey: signing, boxKey: Hex.encode(identity.boxKey.bytes),
                              role: role == .admin ? "admin" : "responder"))
    }

    /// Removes a responder, by name or by key id in hex.
    public mutating func revoke(_ nameOrKeyId: String) throws(OrgRosterError) {
        let before = members.count
        members.removeAll { member in
            member.name == nameOrKeyId
                || Hex.decode(member.signingKey).map { KeyId(publicKey: $0).description == nameOrKeyId.lowercased() } == true
        }
        guard members.count < before else { throw .notEnrolled(nameOrKeyId) }
    }

    /// Signs the next version with the current members.
    public mutating func signNextBundle(with organisation: SigningKeyPair, now: UInt64) throws -> SignedKeyBundle {
        guard let serverKey, let server = Hex.decode(serverKey).flatMap({ SigningPublicKey(bytes: $0) }) else {
            throw OrgRosterError.noServerKey
        }
        guard !members.isEmpty else { throw OrgRosterError.noResponders }
        let responders = try members.map { member throws(OrgRosterError) -> Responder in
            guard let signing = Hex.decode(member.signingKey).flatMap({ SigningPublicKey(bytes: $0) }),
                  let box = Hex.decode(member.boxKey).flatMap({ BoxPublicKey(bytes: $0) })
            else { throw .damaged }
            return Responder(name: member.name, signingKey: signing, boxKey: box, role: member.role == "admin" ? .admin : .responder)
        }
        let bundle = try KeyBundle(version: version + 1, issuedAt: now, expiresAt: now + validityDays * 86_400,
                                   organisationKey: organisation.publicKey, serverKey: server, responders: responders,
                                   receivingKeys: try receivingKeyPolicy)
        let signed = bundle.signed(by: organisation)
        version += 1
        signedBundle = Hex.encode(signed.encoded)
        return signed
    }

    /// The last bundle signed, if any.
    public func lastSigned() throws -> SignedKeyBundle? {
        guard let signedBundle else { return nil }
        guard let bytes = Hex.decode(signedBundle) else { throw OrgRosterError.damaged }
        return try SignedKeyBundle(parsing: bytes)
    }
}
