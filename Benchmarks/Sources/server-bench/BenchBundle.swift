import TiplineCrypto
import TiplineServer

/// The key bundle the child server publishes: this organisation, this
/// server, and two responders, as in the service tests. Every envelope is
/// sealed to both, so it carries two recipient entries, like a small
/// newsroom's tips do.
enum BenchBundle {
    static let responderCount = 2

    static func make(organisation: SigningKeyPair, server: SigningPublicKey) throws -> SignedKeyBundle {
        let now = WallClock.now()
        let responders = (0..<responderCount).map { i in
            Responder(name: "bench-responder-\(i)", signingKey: SigningKeyPair().publicKey,
                      boxKey: BoxKeyPair().publicKey, role: i == 0 ? .admin : .responder)
        }
        // Valid from a little before now, so that a clock a second behind
        // the server's does not make it "not yet valid".
        let bundle = try KeyBundle(version: 1, issuedAt: now - 10, expiresAt: now + 86_400,
                                    organisationKey: organisation.publicKey, serverKey: server, responders: responders)
        return bundle.signed(by: organisation)
    }
}
