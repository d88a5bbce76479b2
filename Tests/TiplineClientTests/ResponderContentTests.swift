import Foundation
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

    @Test func signaturesBindSignerSubjectAndKind() throws {
        let bundle = try bundle([alice, bob])
        let tip = [UInt8](repeating: 7, count: 16), other = [UInt8](repeating: 8, count: 16)
        let note = Tipline_V1_TriageContent.with { $0.status = "closed" }
        let signed = try ResponderSignature.sign(note, kind: .triageEvent, subject: tip, key: alice.sign)
        let (signer, body) = try ResponderSignature.verify(signed, kind: .triageEvent, subject: tip, bundles: [bundle])
        #expect(signer.signingKey == alice.sign.publicKey)
        #expect(try Tipline_V1_TriageContent(serializedBytes: body).status == "closed")
        // Replayed onto another tip, or as another kind: refused.
        #expect(throws: ContentError.badSignature) { try ResponderSignature.verify(signed, kind: .triageEvent, subject: other, bundles: [bundle]) }
        #expect(throws: ContentError.badSignature) { try ResponderSignature.verify(signed, kind: .reply, subject: tip, bundles: [bundle]) }
        // Signed by someone who is not a responder.
        let stranger = try ResponderSignature.sign(note, kind: .triageEvent, subject: tip, key: SigningKeyPair())
        #expect(throws: ContentError.unknownSigner) { try ResponderSignature.verify(stranger, kind: .triageEvent, subject: tip, bundles: [bundle]) }
        // A signer key id borrowed from alice, with another key's signature.
        var forged = try Tipline_V1_SignedContent(serializedBytes: signed)
        forged.signature = Data(SigningKeyPair().sign([1, 2, 3], context: ResponderSignature.context))
        #expect(throws: ContentError.badSignature) {
            try ResponderSignature.verify(try forged.serializedBytes(), kind: .triageEvent, subject: tip, bundles: [bundle])
        }
        #expect(throws: ContentError.malformed) { try ResponderSignature.verify([0xFF, 0xFF], kind: .triageEvent, subject: tip, bundles: [bundle]) }
        // A responder of an older bundle still signs for their old words.
        let later = try self.bundle([bob], version: 2)
        #expect(throws: Never.self) { try ResponderSignature.verify(signed, kind: .triageEvent, subject: tip, bundles: [bundle, later]) }
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

    func event(_ sequence: UInt64, tip tipId: [UInt8], envelope: [UInt8]) -> Tipline_V1_InboxItem {
        .with {
            $0.sequence = sequence
            $0.event = .with {
                $0.tipID = Data(tipId)
                $0.envelope = Data(envelope)
                $0.receivedAt = 1_800_000_000
            }
        }
    }

    @Test func aForgedTriageEventIsRefusedAndChangesNothing() throws {
        let bundle = try bundle([alice, bob])
        let tipId = [UInt8](repeating: 9, count: 16)
        let content: [UInt8] = try Tipline_V1_TipContent.with { $0.what = "what happened" }.serializedBytes()
        let tip = try Envelope.seal(content, kind: .tip, context: bundle.id, to: bundle.recipientKeys)
        // Anyone can seal to the public recipient keys; only a responder's signature counts.
        let genuine = try ResponderSignature.sign(Tipline_V1_TriageContent.with { $0.status = "investigating"; $0.note = "real" },
                                                  kind: .triageEvent, subject: tipId, key: alice.sign)
        let forged = try ResponderSignature.sign(Tipline_V1_TriageContent.with { $0.status = "closed"; $0.note = "fake" },
                                                 kind: .triageEvent, subject: tipId, key: SigningKeyPair())
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
        #expect(cases[0].history.map(\.problem) == [nil, "signed by a key that is not a responder in any known bundle", "the content is malformed"])
        #expect(cases[0].history[0].author == "r0" || cases[0].history[0].author == "r1")
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
