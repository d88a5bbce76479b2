import TiplineClient
import TiplineCrypto
import TiplineStore

/// Signatures whose message a reader builds from fields (proto/PROTOCOL.md
/// §16.1 and §17.1), and hashes over stored columns (§15.1, §17.1): each
/// case gives the fields and the signer's public key, or the fields and the
/// hash; a changed field must make the signature fail.
enum SignedContentVectors {
    static func make(_ fixtures: VectorFixtures) throws -> [VectorFile] {
        let random = SeededRandom(seed: "signed-content")
        let responder = fixtures.responders[0].signing
        let mailboxKey = SigningKeyPair(random: random)
        let mailboxId = DomainHash.hash(DomainHash.Label.mailboxId, mailboxKey.publicKey.bytes)
        let tipId = random.bytes(16)
        let previous = DomainHash.hash(CaseChain.label, random.bytes(200))
        let triage = Array("\u{08}\u{01}closed".utf8)
        let text = Array("\n\u{0E}we are on it".utf8)

        func event(_ name: String, _ comment: String, kind: EnvelopeKind, subject: [UInt8], version: UInt64 = 3,
                   signedAt: UInt64 = VectorClock.now, previous p: [UInt8] = previous, body: [UInt8],
                   tamper: ((inout [(String, String)]) -> Void)? = nil) -> VectorFile {
            let signer = responder.publicKey.keyId
            let signature = responder.sign(ResponderSignature.signedBytes(kind: kind, subject: subject, signer: signer, bundleVersion: version,
                                                                          signedAt: signedAt, previous: p, body: body),
                                           context: ResponderSignature.eventContext)
            var headers: [(String, String)] = [
                ("format", "signed"), ("expect", tamper == nil ? "success" : "badSignature"), ("comment", comment),
                ("layout", "responder-event"), ("context", ResponderSignature.eventContext),
                ("public-key", Hex.encode(responder.publicKey.bytes)), ("kind", String(kind.rawValue)), ("subject", Hex.encode(subject)),
                ("signer-key-id", Hex.encode(signer.bytes)), ("bundle-version", String(version)), ("signed-at", String(signedAt)),
                ("previous-hash", Hex.encode(p)), ("content-body", Hex.encode(body)),
            ]
            tamper?(&headers)
            return VectorFile(name: name, headers: headers, body: signature)
        }
        func set(_ key: String, _ value: String) -> (inout [(String, String)]) -> Void {
            { headers in headers = headers.map { $0.0 == key ? ($0.0, value) : $0 } }
        }

        let followUpBody = Array("\n\u{0D}they moved us".utf8)
        let followUpSignature = mailboxKey.sign(TipsterSignature.signedBytes(kind: .followUp, mailboxId: mailboxId, bundleVersion: 3,
                                                                             signedAt: VectorClock.now, body: followUpBody),
                                                context: TipsterSignature.context)
        func followUp(_ name: String, _ comment: String, signedAt: UInt64 = VectorClock.now, expect: String = "success") -> VectorFile {
            VectorFile(name: name, headers: [
                ("format", "signed"), ("expect", expect), ("comment", comment), ("layout", "tipster-content"),
                ("context", TipsterSignature.context), ("public-key", Hex.encode(mailboxKey.publicKey.bytes)),
                ("kind", String(EnvelopeKind.followUp.rawValue)), ("mailbox-id", Hex.encode(mailboxId)), ("bundle-version", "3"),
                ("signed-at", String(signedAt)), ("content-body", Hex.encode(followUpBody)),
            ], body: followUpSignature)
        }

        let server = fixtures.server.publicKey.keyId
        let nonce = random.bytes(RequestSignature.nonceByteCount)
        let requestBody = random.bytes(24)
        let method = "/tipline.v1.ResponderService/SyncInbox"
        let requestSignature = responder.sign(RequestSignature.signedBytes(method: method, server: server, time: VectorClock.now,
                                                                           nonce: nonce, body: requestBody),
                                              context: RequestSignature.context)
        func request(_ name: String, _ comment: String, server s: KeyId = server, expect: String = "success") -> VectorFile {
            VectorFile(name: name, headers: [
                ("format", "signed"), ("expect", expect), ("comment", comment), ("layout", "request"), ("context", RequestSignature.context),
                ("public-key", Hex.encode(responder.publicKey.bytes)), ("method", method), ("server-key-id", Hex.encode(s.bytes)),
                ("time", String(VectorClock.now)), ("nonce", Hex.encode(nonce)), ("request-body", Hex.encode(requestBody)),
            ], body: requestSignature)
        }

        let envelope = random.bytes(300)
        let tokenHash = random.bytes(32)
        let contentHash = random.bytes(32)
        func tipRecord(_ name: String, _ comment: String, token: [UInt8]?) -> VectorFile {
            VectorFile(name: name, headers: [
                ("format", "hash"), ("expect", "success"), ("comment", comment), ("layout", "audit-record-tip"),
                ("envelope", Hex.encode(envelope)), ("padded-length", "256"), ("mailbox-id", Hex.encode(mailboxId)),
                ("mailbox-key", Hex.encode(mailboxKey.publicKey.bytes)), ("bundle-version", "3"), ("attachment-slots", "2"),
                ("upload-token-hash", Hex.encode(token ?? [])),
            ], body: AuditRecord.tipHash(envelope: envelope, paddedLength: 256, mailboxId: mailboxId, mailboxKey: mailboxKey.publicKey.bytes,
                                         bundleVersion: 3, attachmentSlots: 2, uploadTokenHash: token))
        }

        return [
            event("signed_responder_triage_event", "a triage event bound to its tip, signer, bundle, time and previous envelope",
                  kind: .triageEvent, subject: tipId, body: triage),
            event("signed_responder_reply", "a reply, bound to the tipster's mailbox id", kind: .reply, subject: mailboxId, body: text),
            event("signed_responder_event_moved", "the same signature claimed to follow another envelope", kind: .triageEvent,
                  subject: tipId, body: triage, tamper: set("previous-hash", Hex.encode(DomainHash.hash(CaseChain.label, [1])))),
            event("signed_responder_event_replayed_later", "the same signature with a later time", kind: .triageEvent,
                  subject: tipId, body: triage, tamper: set("signed-at", String(VectorClock.now + 86_400))),
            event("signed_responder_event_other_bundle", "the same signature under another bundle version", kind: .triageEvent,
                  subject: tipId, body: triage, tamper: set("bundle-version", "4")),
            event("signed_responder_event_other_tip", "the same signature on another tip", kind: .triageEvent,
                  subject: tipId, body: triage, tamper: set("subject", Hex.encode([UInt8](repeating: 0, count: 16)))),
            followUp("signed_tipster_follow_up", "a follow-up signed with the codename's mailbox key"),
            followUp("signed_tipster_follow_up_other_time", "the same signature with another time", signedAt: VectorClock.now + 1,
                     expect: "badSignature"),
            request("signed_request", "a responder's request, bound to the server's identity key id"),
            request("signed_request_other_server", "the same signature sent to another server",
                    server: SigningKeyPair(random: random).publicKey.keyId, expect: "badSignature"),
            tipRecord("hash_audit_record_tip", "a tip's audit record hash, with an upload token", token: tokenHash),
            tipRecord("hash_audit_record_tip_without_token", "a tip's audit record hash, no attachments announced", token: nil),
            VectorFile(name: "hash_audit_record_attachment", headers: [
                ("format", "hash"), ("expect", "success"), ("comment", "an attachment's audit record hash"),
                ("layout", "audit-record-attachment"), ("content-hash", Hex.encode(contentHash)), ("tip-id", Hex.encode(tipId)),
                ("encrypted-size", "70000"),
            ], body: AuditRecord.attachmentHash(contentHash: contentHash, tipId: tipId, encryptedSize: 70000)),
            VectorFile(name: "hash_case_event", headers: [
                ("format", "hash"), ("expect", "success"), ("comment", "the per-case chain's hash of an envelope"),
                ("layout", "case-event"), ("envelope", Hex.encode(envelope)),
            ], body: CaseChain.hash(envelope)),
        ]
    }
}
