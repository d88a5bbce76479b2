import TiplineCrypto

/// A responder's public identity file (`alice.pub`), written by
/// `tipline responder init` and read by `tipline org enroll`. Text, so an
/// admin can read it and compare the fingerprint with the responder over
/// another channel before enrolling them:
///
///     tipline-responder-identity v1
///     name: alice
///     signing-key: <64 hex>
///     box-key: <64 hex>
///     fingerprint: XXX-XXX-… (33 symbols; 32 in files written before the check symbol)
public struct ResponderIdentity: Sendable, Equatable {
    public static let header = "tipline-responder-identity v1"

    public let name: String
    public let signingKey: SigningPublicKey
    public let boxKey: BoxPublicKey

    public init(name: String, signingKey: SigningPublicKey, boxKey: BoxPublicKey) {
        self.name = name
        self.signingKey = signingKey
        self.boxKey = boxKey
    }

    public var fingerprint: Fingerprint { Fingerprint(signingKey: signingKey, boxKey: boxKey) }

    public var text: String {
        """
        \(Self.header)
        name: \(name)
        signing-key: \(Hex.encode(signingKey.bytes))
        box-key: \(Hex.encode(boxKey.bytes))
        fingerprint: \(fingerprint)

        """
    }

    /// Parses and checks an identity file; the fingerprint line must match
    /// the keys, so a damaged or hand-edited file is refused.
    public init(parsing text: String) throws(ResponderIdentityError) {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard lines.first == Self.header else { throw .notAnIdentityFile }
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        guard let name = fields["name"], Responder.isValidName(name) else { throw .badField("name") }
        guard let signing = fields["signing-key"].flatMap(Hex.decode).flatMap({ SigningPublicKey(bytes: $0) }) else {
            throw .badField("signing-key")
        }
        guard let box = fields["box-key"].flatMap(Hex.decode).flatMap({ BoxPublicKey(bytes: $0) }) else { throw .badField("box-key") }
        self.init(name: name, signingKey: signing, boxKey: box)
        // Files written before the check symbol hold the legacy form (PROTOCOL.md §2.5).
        guard let stated = fields["fingerprint"], let parsed = try? Fingerprint(parsing: stated, acceptingLegacyForm: true),
              parsed.matches(fingerprint) else {
            throw .fingerprintMismatch
        }
    }
}
