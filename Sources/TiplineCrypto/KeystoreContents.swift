/// The keys a keystore unlocks.
public struct KeystoreContents: Sendable {
    public let role: KeystoreRole
    /// The owner's display name (a responder's name, the organisation's or server's label).
    public let name: String
    public let signingKey: SigningKeyPair
    public let boxKey: BoxKeyPair
    /// The parameters the file was protected with.
    public let parameters: KeystoreParameters

    public init(role: KeystoreRole, name: String, signingKey: SigningKeyPair, boxKey: BoxKeyPair,
                parameters: KeystoreParameters) {
        self.role = role
        self.name = name
        self.signingKey = signingKey
        self.boxKey = boxKey
        self.parameters = parameters
    }

    /// A new identity with fresh keys.
    public static func generate(role: KeystoreRole, name: String, parameters: KeystoreParameters = .moderate,
                                random: some RandomSource = SystemRandom()) -> KeystoreContents {
        KeystoreContents(role: role, name: name, signingKey: SigningKeyPair(random: random),
                         boxKey: BoxKeyPair(random: random), parameters: parameters)
    }
}
