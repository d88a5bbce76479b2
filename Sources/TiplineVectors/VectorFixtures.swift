import TiplineCrypto

/// The keys and bundle the vectors share, all drawn from fixed seeds.
struct VectorFixtures {
    let organisation: SigningKeyPair
    let server: SigningKeyPair
    /// Three responders, in canonical (recipient key id) order.
    let responders: [(signing: SigningKeyPair, box: BoxKeyPair, name: String)]
    /// Someone who is not in the bundle.
    let outsider: BoxKeyPair
    let bundle: KeyBundle
    let signedBundle: SignedKeyBundle
    /// Version 4, format 2: the same responders under the standard
    /// receiving-key policy (7-day keys), for the receiving-key vectors.
    let bundleV2: KeyBundle
    let signedBundleV2: SignedKeyBundle

    init() throws {
        let random = SeededRandom(seed: "fixtures")
        organisation = SigningKeyPair(random: random)
        server = SigningKeyPair(random: random)
        var people = ["amara", "budi", "chanthou"].map { name in
            (signing: SigningKeyPair(random: random), box: BoxKeyPair(random: random), name: name)
        }
        people.sort { $0.box.publicKey.keyId < $1.box.publicKey.keyId }
        responders = people
        outsider = BoxKeyPair(random: random)
        bundle = try KeyBundle(
            version: 3, issuedAt: VectorClock.issued, expiresAt: VectorClock.expires,
            organisationKey: organisation.publicKey, serverKey: server.publicKey,
            responders: people.enumerated().map { i, p in
                Responder(name: p.name, signingKey: p.signing.publicKey, boxKey: p.box.publicKey,
                          role: i == 0 ? .admin : .responder)
            },
            // Format 1, as before receiving keys: every envelope vector names
            // this bundle's id, and stays byte for byte what it was.
            receivingKeys: .legacy, format: 1)
        signedBundle = bundle.signed(by: organisation)
        bundleV2 = try KeyBundle(
            version: 4, issuedAt: VectorClock.issued, expiresAt: VectorClock.expires,
            organisationKey: organisation.publicKey, serverKey: server.publicKey, responders: bundle.responders)
        signedBundleV2 = bundleV2.signed(by: organisation)
    }
}
