/// The keys a keystore unlocks.
public struct KeystoreContents: Sendable {
    public let role: KeystoreRole
    /// The owner's display name (a responder's name, the organisation's or server's label).
    public let name: String
    public let signingKey: SigningKeyPair
    public let boxKey: BoxKeyPair
    /// The parameters the file was protected with.
    public let parameters: KeystoreParameters
    /// The key of the responder's case archive (format 2; nil in format 1).
    public let archiveKey: SecureBytes?
    /// The responder's receiving keys not yet destroyed (format 2), oldest first.
    public let receivingKeys: [HeldReceivingKey]

    public init(role: KeystoreRole, name: String, signingKey: SigningKeyPair, boxKey: BoxKeyPair,
                parameters: KeystoreParameters, archiveKey: SecureBytes? = nil, receivingKeys: [HeldReceivingKey] = []) {
        self.role = role
        self.name = name
        self.signingKey = signingKey
        self.boxKey = boxKey
        self.parameters = parameters
        self.archiveKey = archiveKey
        self.receivingKeys = receivingKeys
    }

    /// The same identity with another set of receiving keys, and an archive
    /// key (a fresh one if there was none).
    public func with(receivingKeys: [HeldReceivingKey], random: some RandomSource = SystemRandom()) -> KeystoreContents {
        KeystoreContents(role: role, name: name, signingKey: signingKey, boxKey: boxKey, parameters: parameters,
                         archiveKey: archiveKey ?? random.secret(CaseArchive.archiveKeyByteCount), receivingKeys: receivingKeys)
    }

    /// Every X25519 key pair that may open an envelope for this identity:
    /// the identity key, then the receiving keys.
    public var openingKeys: [BoxKeyPair] { [boxKey] + receivingKeys.map(\.keyPair) }

    /// A new identity with fresh keys.
    public static func generate(role: KeystoreRole, name: String, parameters: KeystoreParameters = .moderate,
                                random: some RandomSource = SystemRandom()) -> KeystoreContents {
        KeystoreContents(role: role, name: name, signingKey: SigningKeyPair(random: random),
                         boxKey: BoxKeyPair(random: random), parameters: parameters)
    }
}
