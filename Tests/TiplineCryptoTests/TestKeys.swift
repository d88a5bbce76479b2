import TiplineCrypto

/// Small builders shared by the suites; real libsodium keys every time.
enum TestKeys {
    static let now: UInt64 = 1_800_000_000

    static func responders(_ count: Int) -> [(sign: SigningKeyPair, box: BoxKeyPair, responder: Responder)] {
        (0..<count).map { i in
            let sign = SigningKeyPair(), box = BoxKeyPair()
            return (sign, box, Responder(name: "responder-\(i)", signingKey: sign.publicKey, boxKey: box.publicKey,
                                         role: i == 0 ? .admin : .responder))
        }
    }

    static func bundle(version: UInt64 = 1, organisation: SigningKeyPair, responders: [Responder]) throws -> KeyBundle {
        try KeyBundle(version: version, issuedAt: now - 60, expiresAt: now + 86_400,
                      organisationKey: organisation.publicKey, serverKey: SigningKeyPair().publicKey,
                      responders: responders)
    }
}
