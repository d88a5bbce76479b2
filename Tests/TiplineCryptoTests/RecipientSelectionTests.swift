import Testing
import TiplineCrypto

/// §3.5: each responder's newest valid receiving key; the bundle's policy
/// for those without one; and a refusal when nobody is left.
@Suite struct RecipientSelectionTests {
    let organisation = SigningKeyPair()
    let people = TestKeys.responders(3)
    let now = TestKeys.now

    func bundle(_ fallback: ReceivingKeyPolicy.Fallback, window: UInt32 = 604_800) throws -> KeyBundle {
        try KeyBundle(version: 1, issuedAt: now - 60, expiresAt: now + 86_400, organisationKey: organisation.publicKey,
                      serverKey: SigningKeyPair().publicKey, responders: people.map(\.responder),
                      receivingKeys: try ReceivingKeyPolicy(window: window, grace: 0, fallback: fallback))
    }

    func statement(_ person: Int, _ key: BoxKeyPair = BoxKeyPair(), from: UInt64, for seconds: UInt64 = 3_600,
                   organisation org: SigningKeyPair? = nil) -> ReceivingKeyStatement {
        ReceivingKeyStatement(organisationKey: (org ?? organisation).publicKey, responder: people[person].sign,
                              publicKey: key.publicKey, notBefore: from, notAfter: from + seconds)
    }

    @Test func theNewestValidKeyOfEachResponderIsChosenAndTheRestSkipped() throws {
        let older = BoxKeyPair(), newer = BoxKeyPair(), future = BoxKeyPair(), second = BoxKeyPair()
        let statements = [
            statement(0, older, from: now - 3_000),
            statement(0, newer, from: now - 100),
            statement(0, future, from: now + 1_000),        // not valid yet
            statement(1, second, from: now - 10),
        ].map(\.encoded)
        let chosen = try RecipientSelection.choose(bundle: try bundle(.skip), statements: statements, now: now)
        #expect(Set(chosen.recipients) == [newer.publicKey, second.publicKey])
        #expect(chosen.skipped.map(\.name) == [people[2].responder.name])
        #expect(chosen.identityFallbacks.isEmpty)
        #expect(chosen.refused == [.notYetValid])
    }

    @Test func theIdentityPolicyWrapsToTheIdentityKeyOfThoseWithout() throws {
        let key = BoxKeyPair()
        let chosen = try RecipientSelection.choose(bundle: try bundle(.identity),
                                                   statements: [statement(1, key, from: now - 10).encoded], now: now)
        #expect(Set(chosen.recipients) == [key.publicKey, people[0].box.publicKey, people[2].box.publicKey])
        #expect(Set(chosen.identityFallbacks.map(\.name)) == [people[0].responder.name, people[2].responder.name])
    }

    @Test func withNobodyLeftNothingIsSealed() throws {
        let expired = statement(0, from: now - 7_200).encoded
        let otherOrg = statement(1, from: now - 10, organisation: SigningKeyPair()).encoded
        #expect(throws: RecipientSelectionError.noReceivingKeys(refused: 3)) {
            try RecipientSelection.choose(bundle: try bundle(.skip), statements: [expired, otherOrg, [1, 2, 3]], now: now)
        }
    }

    /// A statement is only as good as its signature: a server that swaps in
    /// its own key under a responder's name is refused, and that responder
    /// is treated as having no key.
    @Test func aServerCannotSlipInAKeyOfItsOwn() throws {
        let real = statement(0, from: now - 10)
        var forged = real.encoded
        forged.replaceSubrange(53..<85, with: BoxKeyPair().publicKey.bytes)
        let chosen = try RecipientSelection.choose(bundle: try bundle(.skip), statements: [forged, statement(1, from: now).encoded],
                                                   now: now)
        #expect(chosen.refused == [.badSignature])
        #expect(chosen.skipped.contains { $0.name == people[0].responder.name })
    }

    @Test func aWindowLongerThanTheBundleAllowsIsRefused() throws {
        let long = statement(0, from: now - 10, for: 604_801).encoded
        #expect(throws: RecipientSelectionError.noReceivingKeys(refused: 1)) {
            try RecipientSelection.choose(bundle: try bundle(.skip), statements: [long], now: now)
        }
    }

    @Test func aFormatOneBundleFallsBackToIdentityKeysAsBefore() throws {
        let legacy = try KeyBundle(version: 1, issuedAt: now - 60, expiresAt: now + 86_400,
                                   organisationKey: organisation.publicKey, serverKey: SigningKeyPair().publicKey,
                                   responders: people.map(\.responder), receivingKeys: .legacy, format: 1)
        let parsed = try SignedKeyBundle(parsing: legacy.signed(by: organisation).encoded).unverifiedBundle
        #expect(parsed.format == 1 && parsed.receivingKeys == .legacy)
        let chosen = try RecipientSelection.choose(bundle: parsed, statements: [], now: now)
        #expect(Set(chosen.recipients) == Set(people.map(\.box.publicKey)))
        #expect(throws: KeyBundleError.unsupportedFormat(1)) {
            try KeyBundle(version: 1, issuedAt: now - 60, expiresAt: now + 86_400, organisationKey: organisation.publicKey,
                          serverKey: SigningKeyPair().publicKey, responders: people.map(\.responder), format: 1)
        }
    }
}
