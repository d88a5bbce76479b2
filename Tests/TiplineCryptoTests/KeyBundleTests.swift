import Testing
import TiplineCrypto

@Suite struct KeyBundleTests {
    @Test func signVerifyAndCanonicalOrder() throws {
        let org = SigningKeyPair()
        let people = TestKeys.responders(5)
        let bundle = try TestKeys.bundle(organisation: org, responders: people.map(\.responder).shuffled())
        #expect(bundle.recipientKeyIds == bundle.recipientKeyIds.sorted())
        let signed = bundle.signed(by: org)
        let parsed = try SignedKeyBundle(parsing: signed.encoded)
        let trusted = try parsed.verify(pinned: bundle.organisationFingerprint, now: TestKeys.now)
        #expect(trusted == bundle)
        #expect(parsed.id == bundle.id)
        #expect(trusted.responder(id: people[2].sign.publicKey.keyId)?.name == "responder-2")
    }

    @Test func versionsOnlyMoveForward() throws {
        let org = SigningKeyPair()
        let people = TestKeys.responders(2).map(\.responder)
        let v1 = try TestKeys.bundle(version: 1, organisation: org, responders: people).signed(by: org)
        let v2 = try TestKeys.bundle(version: 2, organisation: org, responders: people).signed(by: org)
        let fp = Fingerprint(organisationKey: org.publicKey)
        _ = try v2.verify(pinned: fp, now: TestKeys.now, lastSeen: v1.seen)
        #expect(throws: KeyBundleError.rollback(seen: 2, offered: 1)) {
            try v1.verify(pinned: fp, now: TestKeys.now, lastSeen: v2.seen)
        }
        let fork = try TestKeys.bundle(version: 2, organisation: org, responders: Array(people.prefix(1))).signed(by: org)
        #expect(throws: KeyBundleError.equivocation(version: 2)) {
            try fork.verify(pinned: fp, now: TestKeys.now, lastSeen: v2.seen)
        }
    }

    @Test func builderRejectsInvalidBundles() {
        let org = SigningKeyPair()
        let people = TestKeys.responders(2).map(\.responder)
        #expect(throws: KeyBundleError.noResponders) { try TestKeys.bundle(organisation: org, responders: []) }
        #expect(throws: KeyBundleError.invalidVersion) { try TestKeys.bundle(version: 0, organisation: org, responders: people) }
        #expect(throws: KeyBundleError.duplicateResponder) {
            try TestKeys.bundle(organisation: org, responders: [people[0], people[0]])
        }
    }

    @Test func fingerprintDisplayRoundTrips() throws {
        let fp = Fingerprint(organisationKey: SigningKeyPair().publicKey)
        let text = fp.description
        #expect(text.split(separator: "-").count == 11)
        #expect(try Fingerprint(parsing: text) == fp)
        #expect(try Fingerprint(parsing: text.lowercased().replacing("-", with: " ")) == fp)
        #expect(throws: FingerprintError.wrongLength(32)) { try Fingerprint(parsing: String(text.dropLast())) }
        #expect(throws: FingerprintError.wrongLength(31)) { try Fingerprint(parsing: String(text.dropLast(2))) }
        #expect(throws: FingerprintError.self) { try Fingerprint(parsing: "UUUU") }
    }

    @Test func signaturesAreBoundToTheirContext() {
        let key = SigningKeyPair()
        let signature = key.sign([1, 2, 3], context: "tipline/v1/bundle-signature")
        #expect(key.publicKey.isValidSignature(signature, for: [1, 2, 3], context: "tipline/v1/bundle-signature"))
        #expect(!key.publicKey.isValidSignature(signature, for: [1, 2, 3], context: "tipline/v1/other"))
        #expect(!key.publicKey.isValidSignature(Array(signature.dropLast()), for: [1, 2, 3], context: "tipline/v1/bundle-signature"))
    }
}
