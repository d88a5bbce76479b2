import Foundation
import SwiftProtobuf
import Testing
import TiplineCrypto
import TiplineProto
import TiplineVectors
@testable import TiplineClient

/// What responders seal must be signed by a responder, for that tip and
/// that kind; anything else is refused and changes nothing.
@Suite struct ResponderContentTests {
    let organisation = SigningKeyPair()
    let server = SigningKeyPair()
    let alice = (sign: SigningKeyPair(), box: BoxKeyPair())
    let bob = (sign: SigningKeyPair(), box: BoxKeyPair())

    func bundle(_ members: [(sign: SigningKeyPair, box: BoxKeyPair)], version: UInt64 = 1) throws -> KeyBundle {
        try KeyBundle(version: version, issuedAt: 1_800_000_000, expiresAt: 1_900_000_000, organisationKey: organisation.publicKey,
                      serverKey: server.publicKey,
                      responders: members.enumerated().map { i, m in
                          Responder(name: "r\(i)", signingKey: m.sign.publicKey, boxKey: m.box.publicKey, role: .responder)
                      })
    }

    static let now: UInt64 = 1_800_000_700

    func sign(_ message: some SwiftProtobuf.Message, _ kind: EnvelopeKind, subject: [UInt8], by key: SigningKeyPair, version: UInt64 = 1,
              at time: UInt64 = now, after previous: [UInt8] = [UInt8](repeating: 1, count: 32)) throws -> [UInt8] {
        try ResponderSignature.sign(message, kind: kind, subject: subject, key: key, bundleVersion: version, signedAt: time, previous: previous)
    }

    @Test func signaturesBindSignerSubjectKindAndPlace() throws {
        let bundle = try bundle([alice, bob])
        let tip = [UInt8](repeating: 7, count: 16), other = [UInt8](repeating: 8, count: 16)
        let note = Tipline_V1_TriageContent.with { $0.status = "closed" }
        let previous = [UInt8](repeating: 5, count: 32)
        let signed = try sign(note, .triageEvent, subject: tip, by: alice.sign, after: previous)
        let event = try ResponderSignature.verify(signed, kind: .triageEvent, subject: tip, bundles: [bundle])
        #expect(event.signer.signingKey == alice.sign.publicKey)
        #expect(event.isBound && event.bundleVersion == 1 && event.signedAt == Self.now && event.previous == previous)
        #expect(try Tipline_V1_TriageContent(serializedBytes: event.body).status == "closed")
        // Replayed onto another tip, or as another kind: refused.
        #expect(throws: ContentError.badSignature) { try ResponderSignature.verify(signed, kind: .triageEvent, subject: other, bundles: [bundle]) }
        #expect(throws: ContentError.badSignature) { try ResponderSignature.verify(signed, kind: .reply, subject: tip, bundles: [bundle]) }
        // Its place, its time and its bundle are signed: none can be changed.
        for change in [{ (c: inout Tipline_V1_SignedContent) in c.previousHash = Data(repeating: 6, count: 32) },
                       { $0.signedAt += 1 }, { $0.previousHash = Data() }] {
            var moved = try Tipline_V1_SignedContent(serializedBytes: signed)
            change(&moved)
            #expect(throws: ContentError.badSignature) {
                try ResponderSignature.verify(try moved.serializedBytes(), kind: .triageEvent, subject: tip, bundles: [bundle])
            }
        }
        // Stripped of its place, it would need the old signature, which it does not have.
        var stripped = try Tipline_V1_SignedContent(serializedBytes: signed)
        stripped.signedAt = 0
        #expect(throws: ContentError.badSignature) {
            try ResponderSignature.verify(try stripped.serializedBytes(), kind: .triageEvent, subject: tip, bundles: [bundle])
        }
        // Signed by someone who is not a responder.
        let stranger = try sign(note, .triageEvent, subject: tip, by: SigningKeyPair())
        #expect(throws: ContentError.unknownSigner) { _ = try ResponderSignature.verify(stranger, kind: .triageEvent, subject: tip, bundles: [bundle]) }
        #expect(throws: ContentError.unknownSigner) {
            _ = try ResponderSignature.verify(try ResponderSignature.signLegacy(note, kind: .triageEvent, subject: tip, key: SigningKeyPair()),
                                              kind: .triageEvent, subject: tip, bundles: [bundle])
        }
        // A signer key id borrowed from alice, with another key's signature.
        var forged = try Tipline_V1_SignedContent(serializedBytes: signed)
        forged.signature = Data(SigningKeyPair().sign([1, 2, 3], context: ResponderSignature.eventContext))
        #expect(throws: ContentError.badSignature) {
            try ResponderSignature.verify(try forged.serializedBytes(), kind: .triageEvent, subject: tip, bundles: [bundle])
        }
        #expect(throws: ContentError.malformed) { try ResponderSignature.verify([0xFF, 0xFF], kind: .triageEvent, subject: tip, bundles: [bundle]) }
        // A bundle the organisation never published.
        #expect(throws: ContentError.unknownBundle(version: 9)) {
            try ResponderSignature.verify(try sign(note, .triageEvent, subject: tip, by: alice.sign, version: 9), kind: .triageEvent,
                                          subject: tip, bundles: [bundle])
        }
        // Alice leaves in version 2 (issued at 1_800_000_000). Her words from
        // before stay hers; a signature made after version 2 was out is refused,
        // whichever bundle it names, and so is one naming version 2 itself.
        let later = try self.bundle([bob], version: 2)
        #expect(throws: Never.self) {
            try ResponderSignature.verify(try self.sign(note, .triageEvent, subject: tip, by: alice.sign, at: 1_800_000_100),
                                          kind: .triageEvent, subject: tip, bundles: [bundle, later])
        }
        #expect(throws: ContentError.revokedSigner(version: 2)) {
            try ResponderSignature.verify(signed, kind: .triageEvent, subject: tip, bundles: [bundle, later])
        }
        #expect(throws: ContentError.notInBundle(version: 2)) {
            try ResponderSignature.verify(try self.sign(note, .triageEvent, subject: tip, by: alice.sign, version: 2), kind: .triageEvent,
                                          subject: tip, bundles: [bundle, later])
        }
        // Content from before issue 13 still verifies, and says it is not bound.
        let legacy = try ResponderSignature.signLegacy(note, kind: .triageEvent, subject: tip, key: alice.sign)
        #expect(try !ResponderSignature.verify(legacy, kind: .triageEvent, subject: tip, bundles: [bundle, later]).isBound)
    }

    /// Sealed inbox items as the server would send them.
    func item(_ sequence: UInt64, tip tipId: [UInt8], envelope: [UInt8], mailboxId: [UInt8] = [UInt8](repeating: 3, count: 32)) -> Tipline_V1_InboxItem {
        .with {
            $0.sequence = sequence
            $0.tip = .with {
                $0.tipID = Data(tipId)
                $0.envelope = Data(envelope)
                $0.receivedAt = 1_800_000_000
                $0.mailboxID = Data(mailboxId)
            }
        }
    }

    func event(_ sequence: UInt64, tip tipId: [UInt8], envelope: [UInt8], actor: [UInt8] = [],
               receivedAt: UInt64 = 1_800_000_000) -> Tipline_V1_InboxItem {
        .with {
            $0.sequence = sequence
            $0.event = .with {
                $0.tipID = Data(tipId)
                $0.envelope = Data(envelope)
                $0.receivedAt = receivedAt
                $0.actorKeyID = Data(actor)
            }
        }
    }

    @Test func aForgedTriageEventIsRefusedAndChangesNothing() throws {
        let bundle = try bundle([alice, bob])
        let tipId = [UInt8](repeating: 9, count: 16)
        let content: [UInt8] = try Tipline_V1_TipContent.with { $0.what = "what happened" }.serializedBytes()
        let tip = try Envelope.seal(content, kind: .tip, context: bundle.id, to: bundle.recipientKeys)
        // Anyone can seal to the public recipient keys; only a responder's signature counts.
        let genuine = try sign(Tipline_V1_TriageContent.with { $0.status = "investigating"; $0.note = "real" },
                               .triageEvent, subject: tipId, by: alice.sign, after: CaseChain.hash(tip))
        let forged = try sign(Tipline_V1_TriageContent.with { $0.status = "closed"; $0.note = "fake" },
                              .triageEvent, subject: tipId, by: SigningKeyPair(), after: CaseChain.hash(tip))
        let unsigned: [UInt8] = try Tipline_V1_TriageContent.with { $0.status = "closed" }.serializedBytes()
        let items = [
            item(1, tip: tipId, envelope: tip),
            event(2, tip: tipId, envelope: try Envelope.seal(genuine, kind: .triageEvent, context: bundle.id, to: bundle.recipientKeys)),
            event(3, tip: tipId, envelope: try Envelope.seal(forged, kind: .triageEvent, context: bundle.id, to: bundle.recipientKeys)),
            event(4, tip: tipId, envelope: try Envelope.seal(unsigned, kind: .triageEvent, context: bundle.id, to: bundle.recipientKeys)),
        ]
        let cases = InboxDecryptor.cases(from: items, key: bob.box, bundles: [bundle])
        try #require(cases.count == 1)
        #expect(cases[0].what == "what happened")
        #expect(cases[0].triage.status == "investigating")
        #expect(cases[0].history.map(\.problem)
            == [nil, "signed by a key that is not a responder in any known bundle", "the content is malformed"])
        #expect(cases[0].history[0].author == "r0" || cases[0].history[0].author == "r1")
    }

    /// Issue 13 item 4: Alice's "closed", recorded again after Bob reopened
    /// the case, is refused as a replay; an event placed before the one it
    /// follows is refused as moved; one the server files under another
    /// responder is shown as its signer's, flagged.
    @Test func aReplayedMovedOrMisattributedEventIsCaught() throws {
        let bundle = try bundle([alice, bob])
        let tipId = [UInt8](repeating: 9, count: 16)
        let tipContent: [UInt8] = try Tipline_V1_TipContent.with { $0.what = "x" }.serializedBytes()
        let tip = try Envelope.seal(tipContent, kind: .tip, context: bundle.id, to: bundle.recipientKeys)
        func seal(_ content: [UInt8]) throws -> [UInt8] {
            try Envelope.seal(content, kind: .triageEvent, context: bundle.id, to: bundle.recipientKeys)
        }
        let closed = try seal(try sign(Tipline_V1_TriageContent.with { $0.status = "closed" }, .triageEvent, subject: tipId, by: alice.sign,
                                       after: CaseChain.hash(tip)))
        let reopenedContent = try sign(Tipline_V1_TriageContent.with { $0.status = "reopened" }, .triageEvent, subject: tipId, by: bob.sign,
                                       after: CaseChain.hash(closed))
        let reopened = try seal(reopenedContent)
        // The same signed content, sealed again (anyone who read it can) and recorded as new.
        let replayed = try seal(try Envelope.open(closed, with: bob.box).withUnsafeBytes { Array($0) })
        let aliceKey = alice.sign.publicKey.keyId.bytes, bobKey = bob.sign.publicKey.keyId.bytes
        let cases = InboxDecryptor.cases(from: [item(1, tip: tipId, envelope: tip),
                                                event(2, tip: tipId, envelope: closed, actor: aliceKey),
                                                event(3, tip: tipId, envelope: reopened, actor: bobKey),
                                                event(4, tip: tipId, envelope: replayed, actor: bobKey)], key: alice.box, bundles: [bundle])
        #expect(cases[0].triage.status == "reopened")
        #expect(cases[0].history.map(\.problem) == [String?.none, nil, "a repeat of entry 2 (replayed)"])

        // Bob's event moved before the one it follows.
        let moved = InboxDecryptor.cases(from: [item(1, tip: tipId, envelope: tip),
                                                event(2, tip: tipId, envelope: reopened, actor: bobKey),
                                                event(3, tip: tipId, envelope: closed, actor: aliceKey)], key: alice.box, bundles: [bundle])
        #expect(moved[0].triage.status == "closed")
        #expect(moved[0].history[0].problem?.contains("out of place") == true)
        // Recorded a day and more after it was signed.
        let late = InboxDecryptor.cases(from: [item(1, tip: tipId, envelope: tip),
                                               event(2, tip: tipId, envelope: closed, actor: aliceKey, receivedAt: Self.now + 90_000)],
                                        key: alice.box, bundles: [bundle])
        #expect(late[0].history[0].problem?.contains("more than a day after it was signed") == true)
        // Filed by the server under Bob: shown as Alice's, flagged.
        let misfiled = InboxDecryptor.cases(from: [item(1, tip: tipId, envelope: tip), event(2, tip: tipId, envelope: closed, actor: bobKey)],
                                            key: alice.box, bundles: [bundle])
        #expect(misfiled[0].history[0].author == "r0")
        #expect(misfiled[0].history[0].warning?.contains("the server recorded it as the action of another key") == true)
    }

    /// Issue 13 item 3: a follow-up is the tipster's only when the mailbox
    /// key sealed into the tip signed it.
    @Test func followUpsAreTheTipstersOnlyWhenTheirMailboxKeySignedThem() throws {
        let bundle = try bundle([alice, bob])
        let keys = Codename().deriveKeys()
        let tipId = [UInt8](repeating: 4, count: 16)
        let tipContent: [UInt8] = try Tipline_V1_TipContent.with {
            $0.what = "x"
            $0.mailboxPublicKey = Data(keys.mailboxKey.publicKey.bytes)
        }.serializedBytes()
        let tip = try Envelope.seal(tipContent, kind: .tip, context: bundle.id, to: bundle.recipientKeys)
        func seal(_ content: [UInt8]) throws -> [UInt8] { try Envelope.seal(content, kind: .followUp, context: bundle.id, to: bundle.recipientKeys) }
        let message = Tipline_V1_MessageContent.with { $0.text = "they moved us" }
        let genuine = try seal(try TipsterSignature.sign(message, keys: keys, bundleVersion: 1, signedAt: Self.now))
        let impostor = try seal(try TipsterSignature.sign(Tipline_V1_MessageContent.with { $0.text = "all is fine now" },
                                                          keys: Codename().deriveKeys(), bundleVersion: 1, signedAt: Self.now))
        let unsignedContent: [UInt8] = try Tipline_V1_MessageContent.with { $0.text = "unsigned" }.serializedBytes()
        let unsigned = try seal(unsignedContent)
        let again = try seal(try Envelope.open(genuine, with: bob.box).withUnsafeBytes { Array($0) })
        let cases = InboxDecryptor.cases(from: [item(1, tip: tipId, envelope: tip, mailboxId: keys.mailboxId),
                                                event(2, tip: tipId, envelope: genuine), event(3, tip: tipId, envelope: impostor),
                                                event(4, tip: tipId, envelope: unsigned), event(5, tip: tipId, envelope: again)],
                                         key: alice.box, bundles: [bundle])
        let history = cases[0].history
        #expect(history.map(\.author) == ["tipster", "unverified", "unverified", "?"])
        #expect(history[0].text == "they moved us" && history[0].warning == nil)
        #expect(history[1].warning?.contains("not signed by the tipster's mailbox key") == true)
        #expect(history[2].warning?.contains("not signed by the tipster") == true)
        #expect(history[3].problem == "a repeat of the follow-up at entry 2 (replayed)")
        #expect(cases[0].warning == nil)
        // The server files the tip under another mailbox (its mailbox key was swapped on disk).
        let swapped = InboxDecryptor.cases(from: [item(1, tip: tipId, envelope: tip, mailboxId: Codename().deriveKeys().mailboxId)],
                                           key: alice.box, bundles: [bundle])
        #expect(swapped[0].warning?.contains("a mailbox that is not the tipster's own") == true)
    }

    @Test func aTipSealedToAnExtraKeyIsFlagged() throws {
        let bundle = try bundle([alice, bob])
        let content: [UInt8] = try Tipline_V1_TipContent.with { $0.what = "x" }.serializedBytes()
        let honest = try Envelope.seal(content, kind: .tip, context: bundle.id, to: bundle.recipientKeys)
        let extra = try Envelope.seal(content, kind: .tip, context: bundle.id, to: bundle.recipientKeys + [BoxKeyPair().publicKey])
        let unknown = try Envelope.seal(content, kind: .tip, context: [UInt8](repeating: 1, count: 32), to: bundle.recipientKeys)
        let cases = InboxDecryptor.cases(from: [item(1, tip: [1], envelope: honest), item(2, tip: [2], envelope: extra),
                                                item(3, tip: [3], envelope: unknown)], key: alice.box, bundles: [bundle])
        let warnings = Dictionary(uniqueKeysWithValues: cases.map { ($0.id, $0.warning) })
        #expect(warnings["01"]! == nil)
        #expect(warnings["02"]!?.contains("not sealed to exactly the responders") == true)
        #expect(warnings["03"]!?.contains("never signed") == true)
    }

    /// Issue 13 item 6: a stored format-1 tip opens, and is flagged because
    /// format 1 does not commit to its content key.
    @Test func aFormatOneTipOpensAndIsFlagged() throws {
        let bundle = try bundle([alice, bob])
        let content: [UInt8] = try Tipline_V1_TipContent.with { $0.what = "from before format 2" }.serializedBytes()
        let old = CraftedEnvelope.sealFormat1(content, kind: .tip, context: bundle.id, to: bundle.recipientKeys)
        let oldAndExtra = CraftedEnvelope.sealFormat1(content, kind: .tip, context: bundle.id,
                                                      to: bundle.recipientKeys + [BoxKeyPair().publicKey])
        let cases = InboxDecryptor.cases(from: [item(1, tip: [1], envelope: old), item(2, tip: [2], envelope: oldAndExtra)],
                                         key: bob.box, bundles: [bundle])
        let byId = Dictionary(uniqueKeysWithValues: cases.map { ($0.id, $0) })
        #expect(byId["01"]?.what == "from before format 2")
        #expect(byId["01"]?.problem == nil)
        #expect(byId["01"]?.warning == """
            sealed in envelope format 1, which does not commit to its content key: other responders may have been shown something else
            """)
        // Both warnings, when both apply.
        #expect(byId["02"]?.warning?.contains("format 1") == true)
        #expect(byId["02"]?.warning?.contains("not sealed to exactly the responders") == true)
    }

    @Test func triageFoldsInOrder() {
        var state = TriageState()
        #expect(state.status == "new" && state.priority == "normal" && state.assignee.isEmpty && state.tags.isEmpty)
        state.apply(status: "investigating", priority: nil, assignee: "alice", addTags: ["b", "a"], removeTags: [])
        state.apply(status: nil, priority: "high", assignee: nil, addTags: ["c"], removeTags: ["a"])
        #expect(state == {
            var expected = TriageState()
            expected.status = "investigating"
            expected.priority = "high"
            expected.assignee = "alice"
            expected.tags = ["b", "c"]
            return expected
        }())
    }

    @Test func parallelOpeningMatchesSerialOpening() throws {
        let bundle = try bundle([alice, bob])
        let envelopes = try (0..<200).map { i in
            try Envelope.seal(Array("tip \(i)".utf8), kind: .tip, context: bundle.id, to: i % 7 == 0 ? [alice.box.publicKey] : bundle.recipientKeys)
        }
        let opened = InboxDecryptor.openAll(envelopes, with: bob.box)
        #expect(opened.count == 200)
        for (i, result) in opened.enumerated() {
            if i % 7 == 0 {
                #expect(throws: EnvelopeError.notARecipient) { try result.get() }
            } else {
                #expect(try result.get() == Array("tip \(i)".utf8))
            }
        }
        #expect(InboxDecryptor.openAll([], with: bob.box).isEmpty)
    }
}
