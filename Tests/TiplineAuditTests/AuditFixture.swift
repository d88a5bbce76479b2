import Foundation
import GRDB
import TiplineLocking
import Testing
import TiplineAudit
import TiplineClient
import TiplineCrypto
import TiplineProto
import TiplineRPC
import TiplineServer
import TiplineStore
import TiplineTestSupport

/// A real tip service on 127.0.0.1:0 over a SQLite file in a temporary
/// directory (as in TiplineServerTests' ServiceFixture), with a history for
/// the auditor: bundles v1 then v2, tips, triage events, replies, a
/// follow-up, an attachment, an expiry and a purge.
final class AuditFixture: Sendable {
    /// Starts at the real time, so that the built `tipline`, which reads the
    /// system clock, finds the bundles valid.
    final class Clock: Sendable {
        let now = Locked<UInt64>(UInt64(Date().timeIntervalSince1970))
        func read() -> UInt64 { now.withLock { $0 } }
        func advance(_ seconds: UInt64) { now.withLock { $0 += seconds } }
    }

    typealias Member = (sign: SigningKeyPair, box: BoxKeyPair)

    let directory: String
    let clock = Clock()
    let organisation = SigningKeyPair()
    let identity = SigningKeyPair()
    let alice: Member = (SigningKeyPair(), BoxKeyPair())
    let bob: Member = (SigningKeyPair(), BoxKeyPair())
    let carol: Member = (SigningKeyPair(), BoxKeyPair())
    let store: TipStore
    let service: TipService
    let server: RPCServer
    let client: TiplineConnection

    var fingerprint: Fingerprint { Fingerprint(organisationKey: organisation.publicKey) }
    var databasePath: String { directory + "/tipline.sqlite" }

    /// What the history left behind, for tests to name.
    struct History: Sendable {
        let v1: KeyBundle
        let v2: KeyBundle
        /// Under v1, with an attachment, a triage event, a reply and a follow-up; answered again under v2.
        let firstTip: [UInt8]
        /// Under v2, with a triage event.
        let secondTip: [UInt8]
        /// Under v2, expired and purged.
        let purgedTip: [UInt8]
    }

    /// - Parameter headKey: the key the store signs its heads with; by
    ///   default the server identity the bundles name. Another key makes a
    ///   server that does not hold the identity the organisation signed for.
    init(headKey: SigningKeyPair? = nil) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-audit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try TipStore(path: directory + "/tipline.sqlite", headKey: headKey ?? identity)
        var configuration = TipServiceConfiguration(organisation: Fingerprint(organisationKey: organisation.publicKey))
        configuration.proofOfWorkDifficulty = 2
        let clock = self.clock
        service = try TipService(store: store, configuration: configuration, identity: identity,
                                 powKey: SecureBytes(randomCount: 32), clock: { clock.read() })
        server = try await RPCServer.start(host: "127.0.0.1", port: 0, methods: service.methods())
        client = try await TiplineConnection.connect(host: "127.0.0.1", port: server.port, clock: { clock.read() })
    }

    func bundle(version: UInt64, responders: [Member]) throws -> SignedKeyBundle {
        let now = clock.read()
        return try KeyBundle(version: version, issuedAt: now - 10, expiresAt: now + 86_400 * 30,
                             organisationKey: organisation.publicKey, serverKey: identity.publicKey,
                             responders: responders.enumerated().map { i, r in
                                 Responder(name: "responder-\(i)-\(r.sign.publicKey.keyId)".prefix(60).description,
                                           signingKey: r.sign.publicKey, boxKey: r.box.publicKey, role: i == 0 ? .admin : .responder)
                             }, receivingKeys: .legacy).signed(by: organisation)
    }

    func submitTip(_ text: String, bundle: KeyBundle, attachments: Int = 0) async throws -> (CodenameKeys, Tipline_V1_SubmitTipResponse) {
        let keys = Codename().deriveKeys()
        let envelope = try Envelope.seal(Array(text.utf8), kind: .tip, context: bundle.id, to: bundle.recipientKeys)
        return (keys, try await client.submitTip(envelope: envelope, mailboxKey: keys.mailboxKey.publicKey, attachmentCount: attachments))
    }

    func triage(_ tip: [UInt8], _ text: String, bundle: KeyBundle, as responder: Member) async throws {
        let envelope = try Envelope.seal(Array(text.utf8), kind: .triageEvent, context: bundle.id, to: bundle.recipientKeys)
        _ = try await client.appendTriageEvent(tipId: tip, envelope: envelope, as: responder.sign)
    }

    func reply(_ tip: [UInt8], _ text: String, keys: CodenameKeys, bundle: KeyBundle, as responder: Member) async throws {
        let envelope = try Envelope.seal(Array(text.utf8), kind: .reply, context: keys.mailboxId,
                                         to: bundle.recipientKeys + [keys.replyKey.publicKey])
        _ = try await client.postReply(tipId: tip, envelope: envelope, as: responder.sign)
    }

    func attach(_ response: Tipline_V1_SubmitTipResponse, bytes count: Int) async throws {
        let key = AttachmentStream.newKey()
        let plaintext = SystemRandom().bytes(count)
        var stream = [UInt8]()
        var offset = 0
        try AttachmentStream.encrypt(key: key, read: { buffer in
            let n = min(buffer.count, plaintext.count - offset)
            plaintext.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + n)])) }
            offset += n
            return n
        }, write: { stream += $0 })
        _ = try await client.uploadAttachment(tipId: Array(response.tipID), uploadToken: Array(response.uploadToken),
                                              encryptedSize: UInt64(stream.count), pieces: Pieces([stream]))
    }

    /// Every kind of record the store keeps, across two bundles.
    func makeHistory() async throws -> History {
        let v1 = try bundle(version: 1, responders: [alice, bob])
        _ = try await client.publishBundle(v1)
        let (firstKeys, first) = try await submitTip("forty people in building C", bundle: v1.unverifiedBundle, attachments: 1)
        let firstTip = Array(first.tipID)
        try await attach(first, bytes: 3000)
        try await triage(firstTip, "status: verified", bundle: v1.unverifiedBundle, as: alice)
        try await reply(firstTip, "we are on it", keys: firstKeys, bundle: v1.unverifiedBundle, as: bob)
        let followUp = try Envelope.seal(Array("they moved us".utf8), kind: .followUp, context: v1.id, to: v1.unverifiedBundle.recipientKeys)
        _ = try await client.postFollowUp(firstKeys, envelope: followUp)

        let v2 = try bundle(version: 2, responders: [alice, bob, carol])
        _ = try await client.publishBundle(v2)
        // A longer tip, so that two padding buckets are in use.
        let (_, second) = try await submitTip(String(repeating: "a long account ", count: 100), bundle: v2.unverifiedBundle)
        let secondTip = Array(second.tipID)
        try await triage(secondTip, "priority: high", bundle: v2.unverifiedBundle, as: carol)
        try await reply(firstTip, "still on it", keys: firstKeys, bundle: v2.unverifiedBundle, as: carol)

        let (_, third) = try await submitTip("delete me soon", bundle: v2.unverifiedBundle)
        _ = try await client.setExpiry(tipId: Array(third.tipID), expiresAt: clock.read() + 1, as: alice.sign)
        clock.advance(2)
        let purged = try await client.purgeExpired(as: alice.sign)
        #expect(purged == 1)
        // A receiving key (issue 15), so that its table has a row for the audit to
        // bind; last, so that the entries before keep their sequence numbers.
        let now = clock.read()
        _ = try await client.publishReceivingKey(
            ReceivingKeyStatement(organisationKey: organisation.publicKey, responder: alice.sign, publicKey: BoxKeyPair().publicKey,
                                  notBefore: now - 60, notAfter: now + 86_400),
            as: alice.sign)
        return History(v1: v1.unverifiedBundle, v2: v2.unverifiedBundle, firstTip: firstTip, secondTip: secondTip,
                       purgedTip: Array(third.tipID))
    }

    /// An audit of this server as an auditor would run it.
    func audit(pinned: Fingerprint? = nil, database: String? = nil, keystores: [String] = []) async throws -> AuditReport {
        let clock = self.clock
        return try await Auditor(connection: client, organisation: pinned ?? fingerprint, databasePath: database,
                                 keystorePaths: keystores, clock: { clock.read() }).run()
    }

    /// A consistent copy of the live database, taken through SQLite (as
    /// `sqlite3 .backup` would), for tampering with.
    func copyDatabase(_ name: String = "copy.sqlite") throws -> String {
        let path = directory + "/" + name
        var configuration = Configuration()
        configuration.readonly = true
        let source = try DatabaseQueue(path: databasePath, configuration: configuration)
        try source.inDatabase { db in try db.execute(sql: "VACUUM INTO ?", arguments: [path]) }
        try source.close()
        return path
    }

    /// Changes a database file through a second, independent connection, as
    /// someone with the disk would.
    func tamper(_ path: String, _ body: (Database) throws -> Void) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write(body)
        try queue.close()
    }

    func tearDown() async {
        await client.close()
        await server.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
