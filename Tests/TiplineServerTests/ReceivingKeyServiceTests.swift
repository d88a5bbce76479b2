import Foundation
import Testing
import TiplineClient
import TiplineCrypto
import TiplineProto
import TiplineRPC
import TiplineServer

/// Receiving keys on the server (issue 15, PROTOCOL.md §14.2, §14.3): a
/// responder publishes their own, the server serves them with the bundle,
/// and accepts envelopes for the responders only as the responder
/// recipient rule and the bundle's policy allow.
@Suite struct ReceivingKeyServiceTests {
    /// One-hour keys, skipping responders without one.
    static let skip = try! ReceivingKeyPolicy(window: 3_600, grace: 0, fallback: .skip)

    func statement(_ f: ServiceFixture, _ who: SigningKeyPair, key: BoxKeyPair = BoxKeyPair(), from: UInt64? = nil,
                   for seconds: UInt64 = 3_600, organisation: SigningKeyPair? = nil) -> ReceivingKeyStatement {
        let start = from ?? f.clock.read() - 10
        return ReceivingKeyStatement(organisationKey: (organisation ?? f.organisation).publicKey, responder: who,
                                     publicKey: key.publicKey, notBefore: start, notAfter: start + seconds)
    }

    func publishSkipBundle(_ f: ServiceFixture) async throws -> KeyBundle {
        let signed = try f.bundle(version: 1, responders: [f.alice, f.bob], receivingKeys: Self.skip)
        _ = try await f.client.publishBundle(signed)
        return signed.unverifiedBundle
    }

    func submit(_ f: ServiceFixture, bundle: KeyBundle, to keys: [BoxPublicKey]) async -> RPCStatus {
        do {
            let envelope = try Envelope.seal(Array("seen at the gate".utf8), kind: .tip, context: bundle.id, to: keys)
            _ = try await f.client.submitTip(envelope: envelope, mailboxKey: SigningKeyPair().publicKey, attachmentCount: 0)
            return .ok
        } catch let error as RPCError {
            return error.status
        } catch {
            return .unknown
        }
    }

    @Test func aPublishedKeyIsServedAndOnlyTheRuleItAllowsIsAccepted() async throws {
        let f = try await ServiceFixture()
        defer { Task { await f.tearDown() } }
        let bundle = try await publishSkipBundle(f)
        let aliceKey = BoxKeyPair()
        let sequence = try await f.client.publishReceivingKey(statement(f, f.alice.sign, key: aliceKey), as: f.alice.sign)
        #expect(sequence > 0)

        let fetched = try await f.client.fetchBundleAndReceivingKeys(pinned: f.fingerprint)
        #expect(fetched.receivingKeys.count == 1)
        let chosen = try RecipientSelection.choose(bundle: fetched.bundle, statements: fetched.receivingKeys, now: f.clock.read())
        #expect(chosen.recipients == [aliceKey.publicKey])
        #expect(chosen.skipped.map(\.signingKey) == [f.bob.sign.publicKey])

        // Sealed as the selection says: accepted.
        #expect(await submit(f, bundle: bundle, to: chosen.recipients) == .ok)
        // Identity keys, which this bundle does not allow: refused, alone or beside the receiving key.
        #expect(await submit(f, bundle: bundle, to: bundle.recipientKeys) == .failedPrecondition)
        #expect(await submit(f, bundle: bundle, to: [aliceKey.publicKey, f.bob.box.publicKey]) == .failedPrecondition)
        // Two wraps for Alice, or a key of nobody's: refused.
        #expect(await submit(f, bundle: bundle, to: [aliceKey.publicKey, f.alice.box.publicKey]) == .failedPrecondition)
        #expect(await submit(f, bundle: bundle, to: [aliceKey.publicKey, BoxKeyPair().publicKey]) == .failedPrecondition)
        #expect(try await f.store.tipCount() == 1)
    }

    @Test func theIdentityPolicyAcceptsIdentityKeysAndReceivingKeysButEveryResponder() async throws {
        let f = try await ServiceFixture()
        defer { Task { await f.tearDown() } }
        let bundle = try await f.publishInitialBundle()
        let bobKey = BoxKeyPair()
        _ = try await f.client.publishReceivingKey(statement(f, f.bob.sign, key: bobKey), as: f.bob.sign)
        #expect(await submit(f, bundle: bundle, to: [f.alice.box.publicKey, bobKey.publicKey]) == .ok)
        #expect(await submit(f, bundle: bundle, to: bundle.recipientKeys) == .ok)
        // Bob left out: the identity policy wants every responder.
        #expect(await submit(f, bundle: bundle, to: [f.alice.box.publicKey]) == .failedPrecondition)
    }

    @Test func publicationIsRefusedForEveryWrongStatement() async throws {
        let f = try await ServiceFixture()
        defer { Task { await f.tearDown() } }
        _ = try await publishSkipBundle(f)
        func status(_ statement: ReceivingKeyStatement, as signer: SigningKeyPair) async -> RPCStatus {
            await status(statement.encoded, as: signer)
        }
        func status(_ bytes: [UInt8], as signer: SigningKeyPair) async -> RPCStatus {
            do {
                let request = Tipline_V1_PublishReceivingKeyRequest.with { $0.statement = Data(bytes) }
                let metadata = TiplineConnection.signatureMetadata(
                    method: TiplineMethod.publishReceivingKey, server: try await f.client.serverKeyId(),
                    body: try request.serializedBytes(), keyReference: signer.publicKey.keyId.bytes, key: signer,
                    time: f.clock.read())
                _ = try await f.client.rpc.unary(TiplineMethod.publishReceivingKey, request, as: Tipline_V1_AppendResponse.self,
                                                 metadata: metadata)
                return .ok
            } catch let error as RPCError {
                return error.status
            } catch {
                return .unknown
            }
        }
        let now = f.clock.read()
        #expect(await status(statement(f, f.alice.sign), as: f.bob.sign) == .permissionDenied)         // someone else's
        #expect(await status(statement(f, f.alice.sign, organisation: SigningKeyPair()), as: f.alice.sign) == .permissionDenied)
        #expect(await status(statement(f, SigningKeyPair()), as: f.alice.sign) == .permissionDenied)   // not in the bundle
        #expect(await status(statement(f, f.alice.sign, from: now - 7_200), as: f.alice.sign) == .failedPrecondition) // expired
        #expect(await status(statement(f, f.alice.sign, from: now + 1_000), as: f.alice.sign) == .failedPrecondition) // not yet
        #expect(await status(statement(f, f.alice.sign, for: 3_601), as: f.alice.sign) == .invalidArgument)  // window too long
        #expect(await status(Array(statement(f, f.alice.sign).encoded.dropLast()), as: f.alice.sign) == .invalidArgument)
        let once = statement(f, f.alice.sign)
        #expect(await status(once, as: f.alice.sign) == .ok)
        #expect(await status(once, as: f.alice.sign) == .alreadyExists)
        for _ in 0..<3 { #expect(await status(statement(f, f.alice.sign), as: f.alice.sign) == .ok) }
        #expect(await status(statement(f, f.alice.sign), as: f.alice.sign) == .resourceExhausted)  // a fifth live key
        // Unsigned: no responder at all.
        await #expect(throws: RPCError.self) {
            _ = try await f.client.rpc.unary(TiplineMethod.publishReceivingKey,
                                             Tipline_V1_PublishReceivingKeyRequest.with { $0.statement = Data(once.encoded) },
                                             as: Tipline_V1_AppendResponse.self)
        }
        #expect(try await f.client.fetchBundleAndReceivingKeys(pinned: f.fingerprint).receivingKeys.count == 4)
    }

    @Test func aClosedKeyIsNoLongerServedAndAcceptedOnlyForTheGrace() async throws {
        let f = try await ServiceFixture()
        defer { Task { await f.tearDown() } }
        let bundle = try await publishSkipBundle(f)
        let key = BoxKeyPair()
        let published = statement(f, f.alice.sign, key: key)
        _ = try await f.client.publishReceivingKey(published, as: f.alice.sign)
        f.clock.advance(published.notAfter - f.clock.read())        // the window has just closed
        #expect(try await f.client.fetchBundleAndReceivingKeys(pinned: f.fingerprint).receivingKeys.isEmpty)
        #expect(await submit(f, bundle: bundle, to: [key.publicKey]) == .ok)   // sealed a moment before, sent now
        f.clock.advance(ReceivingKeyStatement.acceptGrace)
        #expect(await submit(f, bundle: bundle, to: [key.publicKey]) == .failedPrecondition)

        // The key stays in the store, for the audit, and a restarted server serves nothing closed.
        let clock = f.clock
        let restarted = try TipService(store: f.store, configuration: TipServiceConfiguration(organisation: f.fingerprint),
                                       identity: f.identity, powKey: f.powKey, clock: { clock.read() })
        let server = try await RPCServer.start(host: "127.0.0.1", port: 0, methods: restarted.methods())
        let client = try await TiplineConnection.connect(host: "127.0.0.1", port: server.port, clock: { clock.read() })
        #expect(try await client.fetchBundleAndReceivingKeys(pinned: f.fingerprint).receivingKeys.isEmpty)
        #expect(try f.store.receivingKeys(endingAfter: 0).count == 1)
        await client.close()
        await server.shutdown()
    }

    @Test func aRestartedServerServesAndAcceptsTheKeysStillOpen() async throws {
        let f = try await ServiceFixture()
        defer { Task { await f.tearDown() } }
        let bundle = try await publishSkipBundle(f)
        let key = BoxKeyPair()
        _ = try await f.client.publishReceivingKey(statement(f, f.bob.sign, key: key), as: f.bob.sign)
        let clock = f.clock
        let restarted = try TipService(store: f.store, configuration: TipServiceConfiguration(organisation: f.fingerprint),
                                       identity: f.identity, powKey: f.powKey, clock: { clock.read() })
        let server = try await RPCServer.start(host: "127.0.0.1", port: 0, methods: restarted.methods())
        let client = try await TiplineConnection.connect(host: "127.0.0.1", port: server.port, clock: { clock.read() })
        #expect(try await client.fetchBundleAndReceivingKeys(pinned: f.fingerprint).receivingKeys.count == 1)
        let envelope = try Envelope.seal(Array("after the restart".utf8), kind: .tip, context: bundle.id, to: [key.publicKey])
        _ = try await client.submitTip(envelope: envelope, mailboxKey: SigningKeyPair().publicKey, attachmentCount: 0)
        await client.close()
        await server.shutdown()
    }
}
