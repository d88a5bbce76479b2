import Foundation
import Testing
import TiplineClient
import TiplineCrypto
import TiplineProto
import TiplineRPC
import TiplineServer
import TiplineStore
import TiplineTestSupport
import TiplineVectors

/// Every flow and rejection against a live server on port 0 with a real
/// SQLite store, through the typed client.
@Suite struct TipServiceTests {
    func status(_ body: () async throws -> Void) async -> RPCStatus? {
        do {
            try await body()
            return .ok
        } catch let error as RPCError {
            return error.status
        } catch {
            return nil
        }
    }

    @Test func bundlesArePinnedVersionedAndSigned() async throws {
        let f = try await ServiceFixture()
        defer { Task { await f.tearDown() } }
        #expect(await status { _ = try await f.client.fetchBundle(pinned: f.fingerprint) } == .failedPrecondition)
        let v1 = try f.bundle(version: 1, responders: [f.alice, f.bob])
        #expect(try await f.client.publishBundle(v1) == 1)
        let (bundle, _) = try await f.client.fetchBundle(pinned: f.fingerprint)
        #expect(bundle.version == 1)
        // The same again, a rollback, a forgery, and a bundle naming another server.
        #expect(await status { _ = try await f.client.publishBundle(v1) } == .alreadyExists)
        let v2 = try f.bundle(version: 2, responders: [f.alice])
        _ = try await f.client.publishBundle(v2)
        let older = try f.bundle(version: 1, responders: [f.bob])
        #expect(await status { _ = try await f.client.publishBundle(older) } == .failedPrecondition)
        let forged = try f.bundle(version: 9, responders: [f.alice], by: SigningKeyPair())
        #expect(await status { _ = try await f.client.publishBundle(forged) } == .permissionDenied)
        let otherServer = try f.bundle(version: 10, responders: [f.alice], server: SigningKeyPair().publicKey)
        #expect(await status { _ = try await f.client.publishBundle(otherServer) } == .failedPrecondition)
        #expect(try await f.client.listBundles().count == 2)
        // A client that pinned another organisation refuses the bundle.
        await #expect(throws: KeyBundleError.wrongOrganisation) {
            _ = try await f.client.fetchBundle(pinned: Fingerprint(organisationKey: SigningKeyPair().publicKey))
        }
    }

    @Test func tipTriageReplyAndFollowUp() async throws {
        let f = try await ServiceFixture()
        defer { Task { await f.tearDown() } }
        let bundle = try await f.publishInitialBundle()
        let (codename, submitted) = try await f.submitTip("forty people in building C", bundle: bundle)
        let keys = codename.deriveKeys()

        // Alice syncs and opens the tip.
        let items = try await f.client.syncInbox(after: 0, as: f.alice.sign)
        let tip = try #require(items.compactMap { $0.tip }.first)
        #expect(tip.tipID == submitted.tipID)
        let content = try Envelope.open(Array(tip.envelope), with: f.alice.box, expecting: EnvelopeExpectation(kind: .tip, bundle: bundle))
        #expect(content.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } == "forty people in building C")

        // A sealed triage event.
        let triage = try Envelope.seal(Array("status: verified".utf8), kind: .triageEvent, context: bundle.id, to: bundle.recipientKeys)
        _ = try await f.client.appendTriageEvent(tipId: Array(tip.tipID), envelope: triage, as: f.alice.sign)

        // A reply sealed to the responders and the tipster's reply key.
        let reply = try Envelope.seal(Array("we are on it".utf8), kind: .reply, context: keys.mailboxId,
                                      to: bundle.recipientKeys + [keys.replyKey.publicKey])
        _ = try await f.client.postReply(tipId: Array(tip.tipID), envelope: reply, as: f.bob.sign)

        // The tipster reads it with the codename alone.
        let again = try Codename(parsing: codename.revealed())
        let mailbox = try await f.client.fetchMailbox(again.deriveKeys())
        #expect(mailbox.count == 1)
        let opened = try Envelope.open(Array(mailbox[0].envelope), with: again.deriveKeys().replyKey)
        #expect(opened.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } == "we are on it")

        // A follow-up, which responders then see.
        let followUp = try Envelope.seal(Array("they moved us".utf8), kind: .followUp, context: bundle.id, to: bundle.recipientKeys)
        _ = try await f.client.postFollowUp(keys, envelope: followUp)
        let later = try await f.client.syncInbox(after: items.last?.sequence ?? 0, as: f.bob.sign)
        #expect(later.filter { if case .event? = $0.item { true } else { false } }.count == 3)
        #expect(try await f.client.fetchMailbox(keys).count == 2)
    }

    @Test func rejections() async throws {
        let f = try await ServiceFixture()
        defer { Task { await f.tearDown() } }
        let bundle = try await f.publishInitialBundle()
        let envelope = try Envelope.seal(Array("x".utf8), kind: .tip, context: bundle.id, to: bundle.recipientKeys)
        let mailboxKey = SigningKeyPair().publicKey

        // Bad proof of work: a counter that does not solve the challenge.
        let proof = try await f.client.proofOfWork(for: envelope, purpose: .submitTip)
        var wrong = proof
        wrong.counter &+= 1
        while ProofOfWorkChallenge.leadingZeroBits(try ProofOfWorkChallenge(parsing: Array(wrong.challenge))
            .solutionHash(binding: DomainHash.hash("tipline/v1/pow/binding", envelope), counter: wrong.counter)) >= 4 {
            wrong.counter &+= 1
        }
        func submit(_ proof: Tipline_V1_ProofOfWork, _ envelope: [UInt8]) async -> RPCStatus? {
            await status {
                _ = try await f.client.rpc.unary(TiplineMethod.submitTip, Tipline_V1_SubmitTipRequest.with {
                    $0.envelope = Data(envelope)
                    $0.proofOfWork = proof
                    $0.mailboxPublicKey = Data(mailboxKey.bytes)
                }, as: Tipline_V1_SubmitTipResponse.self)
            }
        }
        #expect(await submit(wrong, envelope) == .resourceExhausted)
        #expect(await submit(proof, envelope) == .ok)
        // The same proof again is spent.
        #expect(await submit(proof, envelope) == .alreadyExists)

        // An envelope sealed to another recipient set.
        let stranger = BoxKeyPair()
        let foreign = try Envelope.seal(Array("x".utf8), kind: .tip, context: bundle.id, to: [stranger.publicKey])
        let foreignProof = try await f.client.proofOfWork(for: foreign, purpose: .submitTip)
        #expect(await submit(foreignProof, foreign) == .failedPrecondition)
        // Garbage instead of an envelope.
        let garbage = SystemRandom().bytes(2000)
        #expect(await submit(try await f.client.proofOfWork(for: garbage, purpose: .submitTip), garbage) == .invalidArgument)
        // An envelope one byte over the limit, with a valid proof, in a frame
        // the RPC layer accepts: refused by its size, and nothing stored.
        let limit = TipServiceConfiguration(organisation: f.fingerprint).maximumEnvelopeSize
        #expect(limit == 4_206_703 && limit == Envelope.maximumByteCount)
        let oversized = [UInt8](repeating: 7, count: limit + 1)
        let stored = try await f.store.tipCount()
        #expect(await submit(try await f.client.proofOfWork(for: oversized, purpose: .submitTip), oversized) == .resourceExhausted)
        #expect(try await f.store.tipCount() == stored)

        // An unknown responder, then a revoked one.
        #expect(await status { _ = try await f.client.syncInbox(after: 0, as: SigningKeyPair()) } == .permissionDenied)
        #expect(await status { _ = try await f.client.syncInbox(after: 0, as: f.bob.sign) } == .ok)
        _ = try await f.client.publishBundle(try f.bundle(version: 2, responders: [f.alice]))
        #expect(await status { _ = try await f.client.syncInbox(after: 0, as: f.bob.sign) } == .permissionDenied)

        // A replayed request: the same signed metadata twice.
        let request = Tipline_V1_PurgeExpiredRequest()
        let nonce = SystemRandom().bytes(16)
        let signature = f.alice.sign.sign(requestBytes(TiplineMethod.purgeExpired, server: f.identity.publicKey.keyId, time: f.clock.read(), nonce: nonce, body: []),
                                          context: RequestSignature.context)
        var metadata = Metadata()
        metadata.append("tl-key", f.alice.sign.publicKey.keyId.bytes)
        metadata.append("tl-time", bigEndian(f.clock.read()))
        metadata.append("tl-nonce", nonce)
        metadata.append("tl-signature", signature)
        let send = { await status { _ = try await f.client.rpc.unary(TiplineMethod.purgeExpired, request,
                                                                      as: Tipline_V1_PurgeExpiredResponse.self, metadata: metadata) } }
        #expect(await send() == .ok)
        #expect(await send() == .unauthenticated)
        // An unsigned request.
        #expect(await status { _ = try await f.client.rpc.unary(TiplineMethod.purgeExpired, request, as: Tipline_V1_PurgeExpiredResponse.self) }
            == .unauthenticated)
        // A stale one (outside the 300 s window), and one whose signature is
        // for another body, each with a fresh nonce.
        func signedMetadata(time: UInt64, body: [UInt8]) -> Metadata {
            let nonce = SystemRandom().bytes(16)
            var m = Metadata()
            m.append("tl-key", f.alice.sign.publicKey.keyId.bytes)
            m.append("tl-time", bigEndian(time))
            m.append("tl-nonce", nonce)
            m.append("tl-signature", f.alice.sign.sign(requestBytes(TiplineMethod.purgeExpired, server: f.identity.publicKey.keyId, time: time, nonce: nonce, body: body),
                                                       context: RequestSignature.context))
            return m
        }
        func purge(_ m: Metadata) async -> RPCStatus? {
            await status { _ = try await f.client.rpc.unary(TiplineMethod.purgeExpired, request, as: Tipline_V1_PurgeExpiredResponse.self,
                                                           metadata: m) }
        }
        #expect(await purge(signedMetadata(time: f.clock.read() - 301, body: [])) == .unauthenticated)
        #expect(await purge(signedMetadata(time: f.clock.read() + 301, body: [])) == .unauthenticated)
        #expect(await purge(signedMetadata(time: f.clock.read(), body: [1])) == .unauthenticated)
        #expect(await purge(signedMetadata(time: f.clock.read() - 299, body: [])) == .ok)
    }

    /// Issue 13 item 6: format 1 does not commit to its content key, so a
    /// sender who wants responders to read different things would choose it.
    /// Every method that stores a new envelope refuses format 1, well formed
    /// and sealed to the bundle in force, with INVALID_ARGUMENT naming the
    /// format, and stores nothing; the same content in format 2 goes in.
    @Test func formatOneIsRefusedForEveryNewEnvelope() async throws {
        let f = try await ServiceFixture()
        defer { Task { await f.tearDown() } }
        let bundle = try await f.publishInitialBundle()
        func refusal(_ body: () async throws -> Void) async -> RPCError? {
            do { try await body() } catch let error as RPCError { return error } catch { return nil }
            return nil
        }
        func expectFormatRefusal(_ error: RPCError?, _ what: String) {
            #expect(error?.status == .invalidArgument, "\(what): \(String(describing: error))")
            #expect(error?.message.contains("format 1 is no longer accepted") == true, "\(what): \(String(describing: error))")
            #expect(error?.message.contains("format 2") == true, "\(what): \(String(describing: error))")
        }

        let codename = Codename()
        let keys = codename.deriveKeys()
        let oldTip = CraftedEnvelope.sealFormat1(Array("tip".utf8), kind: .tip, context: bundle.id, to: bundle.recipientKeys)
        #expect(try EnvelopeHeader(parsing: oldTip).format == .uncommitted)
        expectFormatRefusal(await refusal { _ = try await f.client.submitTip(envelope: oldTip, mailboxKey: keys.mailboxKey.publicKey) },
                            "tip")
        #expect(try await f.store.tipCount() == 0)

        let tip = try await f.client.submitTip(
            envelope: try Envelope.seal(Array("tip".utf8), kind: .tip, context: bundle.id, to: bundle.recipientKeys),
            mailboxKey: keys.mailboxKey.publicKey)
        let tipId = Array(tip.tipID)
        let before = try await f.client.syncInbox(after: 0, as: f.alice.sign).count

        let oldFollowUp = CraftedEnvelope.sealFormat1(Array("more".utf8), kind: .followUp, context: bundle.id, to: bundle.recipientKeys)
        expectFormatRefusal(await refusal { _ = try await f.client.postFollowUp(keys, envelope: oldFollowUp) }, "follow-up")
        let oldTriage = CraftedEnvelope.sealFormat1(Array("status".utf8), kind: .triageEvent, context: bundle.id, to: bundle.recipientKeys)
        expectFormatRefusal(await refusal { _ = try await f.client.appendTriageEvent(tipId: tipId, envelope: oldTriage, as: f.alice.sign) },
                            "triage event")
        let oldReply = CraftedEnvelope.sealFormat1(Array("reply".utf8), kind: .reply, context: keys.mailboxId,
                                                   to: bundle.recipientKeys + [keys.replyKey.publicKey])
        expectFormatRefusal(await refusal { _ = try await f.client.postReply(tipId: tipId, envelope: oldReply, as: f.bob.sign) }, "reply")
        #expect(try await f.client.syncInbox(after: 0, as: f.alice.sign).count == before)

        // The same three in format 2 are stored.
        _ = try await f.client.postFollowUp(
            keys, envelope: try Envelope.seal(Array("more".utf8), kind: .followUp, context: bundle.id, to: bundle.recipientKeys))
        _ = try await f.client.appendTriageEvent(
            tipId: tipId, envelope: try Envelope.seal(Array("status".utf8), kind: .triageEvent, context: bundle.id, to: bundle.recipientKeys),
            as: f.alice.sign)
        _ = try await f.client.postReply(
            tipId: tipId, envelope: try Envelope.seal(Array("reply".utf8), kind: .reply, context: keys.mailboxId,
                                                      to: bundle.recipientKeys + [keys.replyKey.publicKey]),
            as: f.bob.sign)
        #expect(try await f.client.syncInbox(after: 0, as: f.alice.sign).count == before + 3)

        // A follow-up may go to one key beyond the responders (the tipster's
        // own reply key, to read it back), never two; a triage event to none.
        _ = try await f.client.postFollowUp(
            keys, envelope: try Envelope.seal(Array("mine too".utf8), kind: .followUp, context: bundle.id,
                                              to: bundle.recipientKeys + [keys.replyKey.publicKey]))
        #expect(await status {
            _ = try await f.client.postFollowUp(
                keys, envelope: try Envelope.seal(Array("and theirs".utf8), kind: .followUp, context: bundle.id,
                                                  to: bundle.recipientKeys + [keys.replyKey.publicKey, BoxKeyPair().publicKey]))
        } == .failedPrecondition)
        #expect(await status {
            _ = try await f.client.appendTriageEvent(
                tipId: tipId, envelope: try Envelope.seal(Array("status".utf8), kind: .triageEvent, context: bundle.id,
                                                          to: bundle.recipientKeys + [BoxKeyPair().publicKey]), as: f.alice.sign)
        } == .failedPrecondition)
        #expect(try await f.client.syncInbox(after: 0, as: f.alice.sign).count == before + 4)
    }

    /// Issue 13: whoever learns a tipster's mailbox public key must not be
    /// able to file a second tip under it and so read the first one's replies.
    @Test func aSecondTipUnderOneMailboxKeyIsRefused() async throws {
        let f = try await ServiceFixture()
        defer { Task { await f.tearDown() } }
        let bundle = try await f.publishInitialBundle()
        let mailboxKey = SigningKeyPair().publicKey
        let first = try await f.client.submitTip(
            envelope: try Envelope.seal(Array("mine".utf8), kind: .tip, context: bundle.id, to: bundle.recipientKeys), mailboxKey: mailboxKey)
        let second = try Envelope.seal(Array("the attacker's".utf8), kind: .tip, context: bundle.id, to: bundle.recipientKeys)
        var refused: RPCError?
        do { _ = try await f.client.submitTip(envelope: second, mailboxKey: mailboxKey) } catch let error as RPCError { refused = error }
        #expect(refused?.status == .alreadyExists)
        #expect(refused?.message.contains("new codename") == true)
        #expect(try await f.store.tipCount() == 1)
        let mailbox = try await f.store.mailbox(id: DomainHash.hash(DomainHash.Label.mailboxId, mailboxKey.bytes))
        #expect(mailbox?.tipId == Array(first.tipID))
    }

    /// Issue 13 item 5: a request signature names the server, so another
    /// server that knows the same responder refuses it; and spent nonces and
    /// challenges are kept in the store, so a restart makes none good again.
    @Test func requestsAreBoundToTheServerAndReplaysSurviveARestart() async throws {
        let f = try await ServiceFixture()
        defer { Task { await f.tearDown() } }
        let bundle = try await f.publishInitialBundle()
        func purge(_ metadata: Metadata, on client: TiplineConnection) async -> RPCStatus? {
            await status { _ = try await client.rpc.unary(TiplineMethod.purgeExpired, Tipline_V1_PurgeExpiredRequest(),
                                                          as: Tipline_V1_PurgeExpiredResponse.self, metadata: metadata) }
        }
        func signed(for server: KeyId) -> Metadata {
            TiplineConnection.signatureMetadata(method: TiplineMethod.purgeExpired, server: server, body: [],
                                                keyReference: f.alice.sign.publicKey.keyId.bytes, key: f.alice.sign, time: f.clock.read())
        }
        // Signed for another server (one that shares Alice's key): refused here.
        #expect(await purge(signed(for: SigningKeyPair().publicKey.keyId), on: f.client) == .unauthenticated)
        let metadata = signed(for: f.identity.publicKey.keyId)
        #expect(await purge(metadata, on: f.client) == .ok)
        #expect(await purge(metadata, on: f.client) == .unauthenticated)

        // A tip paid for with a proof of work.
        let envelope = try Envelope.seal(Array("once".utf8), kind: .tip, context: bundle.id, to: bundle.recipientKeys)
        let proof = try await f.client.proofOfWork(for: envelope, purpose: .submitTip)
        func submit(_ client: TiplineConnection) async -> RPCStatus? {
            await status {
                _ = try await client.rpc.unary(TiplineMethod.submitTip, Tipline_V1_SubmitTipRequest.with {
                    $0.envelope = Data(envelope)
                    $0.proofOfWork = proof
                    $0.mailboxPublicKey = Data(SigningKeyPair().publicKey.bytes)
                }, as: Tipline_V1_SubmitTipResponse.self)
            }
        }
        #expect(await submit(f.client) == .ok)

        // The server restarts: a new service, with empty memory, over the same store and keys.
        let clock = f.clock
        let restarted = try TipService(store: f.store, configuration: TipServiceConfiguration(organisation: f.fingerprint),
                                       identity: f.identity, powKey: f.powKey, clock: { clock.read() })
        let server = try await RPCServer.start(host: "127.0.0.1", port: 0, methods: restarted.methods())
        let client = try await TiplineConnection.connect(host: "127.0.0.1", port: server.port, clock: { clock.read() })
        #expect(await purge(metadata, on: client) == .unauthenticated)
        #expect(await submit(client) == .alreadyExists)
        #expect(try await f.store.tipCount() == 1)
        // A fresh request and a fresh proof still go through.
        #expect(await purge(signed(for: f.identity.publicKey.keyId), on: client) == .ok)
        // Spent tokens are forgotten once they could not be accepted anyway.
        clock.advance(3600)
        #expect(try await f.store.pruneSpentTokens(now: clock.read()) == 3)
        await client.close()
        await server.shutdown()
    }

    @Test func onlyAnAdminMayPurge() async throws {
        let f = try await ServiceFixture()
        defer { Task { await f.tearDown() } }
        _ = try await f.publishInitialBundle()
        // Alice is the bundle's admin; Bob a responder.
        await #expect(throws: RPCError.self) { _ = try await f.client.purgeExpired(as: f.bob.sign) }
        #expect(try await f.client.purgeExpired(as: f.alice.sign) == 0)
    }

    @Test func attachmentsStreamInAndOut() async throws {
        let f = try await ServiceFixture(maximumAttachmentSize: 512 * 1024)
        defer { Task { await f.tearDown() } }
        let bundle = try await f.publishInitialBundle()
        let (_, submitted) = try await f.submitTip("see the photo", bundle: bundle, attachments: 2)
        let key = AttachmentStream.newKey()
        let plaintext = SystemRandom().bytes(200_000)
        var stream = [UInt8]()
        var offset = 0
        try AttachmentStream.encrypt(key: key, read: { buffer in
            let n = min(buffer.count, plaintext.count - offset)
            plaintext.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + n)])) }
            offset += n
            return n
        }, write: { stream += $0 })
        let pieces = stride(from: 0, to: stream.count, by: 50_000).map { Array(stream[$0..<min($0 + 50_000, stream.count)]) }
        let uploaded = try await f.client.uploadAttachment(tipId: Array(submitted.tipID), uploadToken: Array(submitted.uploadToken),
                                                           encryptedSize: UInt64(stream.count), pieces: Pieces(pieces))
        #expect(uploaded.encryptedSize == UInt64(stream.count))

        // A responder downloads and decrypts it.
        let decryptor = AttachmentDecryptor(key: key)
        var opened = [UInt8]()
        try await f.client.downloadAttachment(id: Array(uploaded.attachmentID), as: f.alice.sign) { chunk in
            try decryptor.feed(chunk) { opened.append(contentsOf: $0) }
        }
        try decryptor.finish { opened.append(contentsOf: $0) }
        #expect(opened == plaintext)
        let items = try await f.client.syncInbox(after: 0, as: f.alice.sign)
        #expect(items.contains { if case .attachment(let a)? = $0.item { a.tipID == submitted.tipID } else { false } })

        // Too big, a wrong token, and an upload that ends short: none leaves anything behind.
        let huge = UInt64(600 * 1024)
        #expect(await status {
            _ = try await f.client.uploadAttachment(tipId: Array(submitted.tipID), uploadToken: Array(submitted.uploadToken),
                                                    encryptedSize: huge, pieces: Pieces([[1, 2, 3]]))
        } == .resourceExhausted)
        #expect(await status {
            _ = try await f.client.uploadAttachment(tipId: Array(submitted.tipID), uploadToken: SystemRandom().bytes(32),
                                                    encryptedSize: 100, pieces: Pieces([[UInt8](repeating: 0, count: 100)]))
        } == .permissionDenied)
        #expect(await status {
            _ = try await f.client.uploadAttachment(tipId: Array(submitted.tipID), uploadToken: Array(submitted.uploadToken),
                                                    encryptedSize: 100_000, pieces: Pieces([[UInt8](repeating: 0, count: 60_000)]))
        } == .invalidArgument)
        #expect(await status {
            _ = try await f.client.uploadAttachment(tipId: Array(submitted.tipID), uploadToken: Array(submitted.uploadToken),
                                                    encryptedSize: 100, pieces: Pieces([[UInt8](repeating: 0, count: 60_000)]))
        } == .resourceExhausted)
        #expect(try await f.store.stagedChunkCount() == 0)
        #expect(try await f.store.attachmentCount() == 1)
    }

    /// Issue 14: the upload token and the attachment keys come from the
    /// codename, so a tipster who kept nothing else sends a file again to
    /// the same tip, named by its mailbox id, under the key the sealed
    /// manifest already holds.
    @Test func aFileIsSentAgainWithTheCodenameAlone() async throws {
        let f = try await ServiceFixture(maximumAttachmentSize: 512 * 1024)
        defer { Task { await f.tearDown() } }
        let bundle = try await f.publishInitialBundle()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("resend-\(UUID().uuidString).bin").path
        let plaintext = SystemRandom().bytes(150_000)
        _ = FileManager.default.createFile(atPath: path, contents: Data(plaintext))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let draft = TipDraft(what: "the photo follows", attachments: [try AttachmentFile(path: path)])
        let tip = try await TipSubmission.file(draft, to: try TrustedRecipients(bundle: bundle, statements: [], now: f.clock.read()),
                                               over: f.client)
        #expect(try await f.store.attachmentCount() == 0)

        // A later process, with only the codename and the file.
        let keys = try Codename(parsing: tip.codename.revealed()).deriveKeys()
        let again = try AttachmentFile(path: path)
        try await TipSubmission.resend(again, keys: keys, over: f.client)
        #expect(try await f.store.attachmentCount() == 1)
        // The manifest names the key the codename derives; the stream opens with it.
        let items = try await f.client.syncInbox(after: 0, as: f.alice.sign)
        guard case .tip(let stored)? = items.first?.item,
              case .attachment(let attachment)? = items.last?.item else { Issue.record("no tip and attachment: \(items)"); return }
        let opened = try Envelope.open(Array(stored.envelope), with: f.alice.box)
        let content = try Tipline_V1_TipContent(serializedBytes: opened.withUnsafeBytes { Array($0) })
        let key = keys.attachmentKey(contentHash: again.contentHash)
        #expect(Array(content.attachments[0].key) == key.withUnsafeBytes { Array($0) })
        let decryptor = AttachmentDecryptor(key: key)
        var received = [UInt8]()
        try await f.client.downloadAttachment(id: Array(attachment.attachmentID), as: f.alice.sign) { chunk in
            try decryptor.feed(chunk) { received.append(contentsOf: $0) }
        }
        try decryptor.finish { received.append(contentsOf: $0) }
        #expect(received == plaintext)

        // Its one slot is used; another codename opens nothing; a tip is named one way only.
        #expect(await status { try await TipSubmission.resend(again, keys: keys, over: f.client) } == .resourceExhausted)
        #expect(await status { try await TipSubmission.resend(again, keys: Codename().deriveKeys(), over: f.client) } == .permissionDenied)
        let both = Tipline_V1_UploadAttachmentRequest.with {
            $0.start = .with {
                $0.tipID = Data(tip.tipId)
                $0.mailboxID = Data(keys.mailboxId)
                $0.uploadToken = keys.uploadToken.withUnsafeBytes { Data($0) }
                $0.encryptedSize = 100
            }
        }
        #expect(await status {
            let requests = AsyncThrowingStream<Tipline_V1_UploadAttachmentRequest, any Error> {
                $0.yield(both)
                $0.finish()
            }
            _ = try await f.client.rpc.clientStreaming(TiplineMethod.uploadAttachment, requests: requests,
                                                       as: Tipline_V1_UploadAttachmentResponse.self)
        } == .invalidArgument)
        // A token that is not 32 bytes is refused before any work is spent.
        #expect(await status {
            let recipients = try TrustedRecipients(bundle: bundle, statements: [], now: f.clock.read())
            _ = try await f.client.submitTip(envelope: try TipDraft(what: "x").seal(for: recipients, keys: Codename().deriveKeys()),
                                             mailboxKey: SigningKeyPair().publicKey, attachmentCount: 1,
                                             uploadToken: SecureBytes(copying: [UInt8](repeating: 1, count: 31)))
        } == .invalidArgument)
    }

    @Test func auditLogVerifiesAndHeadIsSigned() async throws {
        let f = try await ServiceFixture()
        defer { Task { await f.tearDown() } }
        let bundle = try await f.publishInitialBundle()
        for i in 0..<3 { _ = try await f.submitTip("tip \(i)", bundle: bundle) }
        let log = try await f.client.auditLog()
        let entries = log.compactMap { e in
            AuditKind(rawValue: UInt8(e.kind)).map {
                AuditEntry(stored: e.sequence, time: e.time, kind: $0, subject: Array(e.subject), actor: Array(e.actorKeyID),
                           payloadHash: Array(e.payloadHash), previousHash: Array(e.previousHash), entryHash: Array(e.entryHash))
            }
        }
        let head = try AuditChain.verify(entries)
        #expect(head?.sequence == 4)
        let signed = try await f.client.auditHead()
        #expect(Array(signed.headHash) == head?.entryHash)
        let stated = AuditHead(sequence: signed.sequence, headHash: Array(signed.headHash), time: signed.time,
                               signature: Array(signed.signature))
        #expect(stated.sequence == 4 && stated.isSigned(by: f.identity.publicKey))
        #expect(!stated.isSigned(by: f.organisation.publicKey))
        #expect(try await f.store.verifyAudit(serverKey: f.identity.publicKey)?.sequence == 4)
    }

    @Test func expiryAndPurge() async throws {
        let f = try await ServiceFixture()
        defer { Task { await f.tearDown() } }
        let bundle = try await f.publishInitialBundle()
        let (_, first) = try await f.submitTip("keep a day", bundle: bundle)
        let (_, second) = try await f.submitTip("keep", bundle: bundle)
        _ = try await f.client.setExpiry(tipId: Array(first.tipID), expiresAt: f.clock.read() + 86_400, as: f.alice.sign)
        #expect(try await f.client.purgeExpired(as: f.alice.sign) == 0)
        f.clock.advance(86_401)
        #expect(try await f.client.purgeExpired(as: f.alice.sign) == 1)
        #expect(try await f.store.hasTip(Array(first.tipID)) == false)
        #expect(try await f.store.hasTip(Array(second.tipID)))
        let items = try await f.client.syncInbox(after: 0, as: f.alice.sign)
        #expect(items.contains { $0.purgedTipID == first.tipID })
        #expect(try await f.store.verifyAudit() != nil)
    }

    /// SECURITY.md: the audit chain names the responder who acted, by key
    /// id, for every triage event, reply, expiry and purge, and nobody for a
    /// tipster's own submissions and follow-ups.
    @Test func auditEntriesNameTheActingResponder() async throws {
        let f = try await ServiceFixture()
        defer { Task { await f.tearDown() } }
        let bundle = try await f.publishInitialBundle()
        let (codename, submitted) = try await f.submitTip("the north dock", bundle: bundle)
        let tipId = Array(submitted.tipID)
        let keys = codename.deriveKeys()
        let triage = try Envelope.seal(Array("status: verified".utf8), kind: .triageEvent, context: bundle.id, to: bundle.recipientKeys)
        _ = try await f.client.appendTriageEvent(tipId: tipId, envelope: triage, as: f.alice.sign)
        let reply = try Envelope.seal(Array("noted".utf8), kind: .reply, context: keys.mailboxId,
                                      to: bundle.recipientKeys + [keys.replyKey.publicKey])
        _ = try await f.client.postReply(tipId: tipId, envelope: reply, as: f.bob.sign)
        let followUp = try Envelope.seal(Array("more".utf8), kind: .followUp, context: bundle.id, to: bundle.recipientKeys)
        _ = try await f.client.postFollowUp(keys, envelope: followUp)
        _ = try await f.client.setExpiry(tipId: tipId, expiresAt: f.clock.read() + 10, as: f.bob.sign)
        f.clock.advance(11)
        #expect(try await f.client.purgeExpired(as: f.alice.sign) == 1)

        let log = try await f.client.auditLog()
        func actors(_ kind: AuditKind) -> [[UInt8]] {
            log.filter { $0.kind == UInt32(kind.rawValue) }.map { Array($0.actorKeyID) }
        }
        let alice = f.alice.sign.publicKey.keyId.bytes, bob = f.bob.sign.publicKey.keyId.bytes
        #expect(actors(.tipSubmitted) == [[]])
        #expect(actors(.triageEvent) == [alice])
        #expect(actors(.reply) == [bob])
        #expect(actors(.followUp) == [[]])
        #expect(actors(.expirySet) == [bob])
        #expect(actors(.purge) == [alice])
    }
}

func bigEndian(_ value: UInt64) -> [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: value >> UInt64(56 - 8 * $0)) }
}

/// The bytes a request signature covers (PROTOCOL.md §16), written out here
/// independently of the client so a test can forge and replay requests.
/// The signed bytes of PROTOCOL.md §16.1, built by hand from the spec.
func requestBytes(_ method: String, server: KeyId, time: UInt64, nonce: [UInt8], body: [UInt8]) -> [UInt8] {
    [UInt8(method.utf8.count)] + Array(method.utf8) + server.bytes + bigEndian(time) + nonce
        + DomainHash.hash(RequestSignature.bodyLabel, body)
}
