/// One vetted responder in a key bundle: the people a tip is sealed to.
public struct Responder: Hashable, Sendable {
    /// The maximum length of a display name in UTF-8 bytes.
    public static let maxNameLength = 64

    /// UTF-8 display name, 1 to 64 bytes, no control characters.
    public let name: String
    /// Ed25519 key that signs the responder's requests.
    public let signingKey: SigningPublicKey
    /// X25519 key that tips are sealed to.
    public let boxKey: BoxPublicKey
    public let role: ResponderRole

    public init(name: String, signingKey: SigningPublicKey, boxKey: BoxPublicKey, role: ResponderRole) {
        self.name = name
        self.signingKey = signingKey
        self.boxKey = boxKey
        self.role = role
    }

    /// The responder's id: the key id of their signing key.
    public var id: KeyId { signingKey.keyId }
    /// The key id envelopes use for this responder's wrapped key.
    public var recipientKeyId: KeyId { boxKey.keyId }
    /// The fingerprint a responder reads aloud to the admin who enrols them.
    public var fingerprint: Fingerprint { Fingerprint(signingKey: signingKey, boxKey: boxKey) }

    /// True when `name` is 1–64 bytes of UTF-8 with no control characters.
    public static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...maxNameLength).contains(bytes.count) else { return false }
        return !name.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
