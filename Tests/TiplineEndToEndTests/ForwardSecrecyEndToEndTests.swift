import Foundation
import GRDB
import Testing
import TiplineCrypto
import TiplineTestSupport

/// Issue 15 through the built programs: tips sealed to short-lived receiving
/// keys, and, after rotation, expiry and destruction, no key the responder
/// holds opens the envelope the server keeps, while the case still reads
/// from the archive. The clocks of the real server and `tipline` are moved
/// days ahead with libfaketime (`make test` installs it).
@Suite(.serialized) struct ForwardSecrecyEndToEndTests {
    static let faketime = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"

    /// Run `days` ahead of now (libfaketime; the monotonic clock stays real,
    /// so timers and timeouts behave).
    static func ahead(days: Int) -> [String: String] {
        ["LD_PRELOAD": faketime, "FAKETIME": "+\(days)d", "FAKETIME_DONT_FAKE_MONOTONIC": "1", "FAKETIME_DONT_RESET": "1"]
    }

    /// Every tip envelope the server stores, as someone holding its disk reads it.
    func storedEnvelopes(_ story: StoryFixture) throws -> [[UInt8]] {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: story.server.dataDir + "/tipline.sqlite", configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in try Data.fetchAll(db, sql: "SELECT envelope FROM tip ORDER BY audit_seq").map(Array.init) }
    }

    func keystore(_ story: StoryFixture, _ name: String) throws -> KeystoreContents {
        try Keystore.read(from: story.path("\(name).key"), passphrase: SecureBytes(copying: Array("a story passphrase".utf8)))
    }

    @Test func afterDestructionNoKeyLeftOpensTheTipAndTheArchiveStillReadsIt() throws {
        try #require(FileManager.default.fileExists(atPath: Self.faketime), "libfaketime is not installed (make test installs it)")
        let story = try StoryFixture(name: "forward")
        defer { story.tearDown() }

        // The bundle's standard policy, and a receiving key each (the fixture rotated them).
        let shown = try story.tipline.ok(["org", "show", "--org-key", "org.key"])
        #expect(shown.contains("receiving keys valid 7 d, destroyed 14 d after"), "\(shown)")
        let alice = try keystore(story, "alice")
        let first = try #require(alice.receivingKeys.first)
        #expect(alice.receivingKeys.count == 1)

        // A tip, sealed to the receiving keys and to no identity key.
        let message = "They took our passports at the gate on Monday."
        _ = try story.submit(message)
        let envelope = try #require(try storedEnvelopes(story).first)
        let header = try EnvelopeHeader(parsing: envelope)
        #expect(header.recipientKeyIds.contains(first.statement.keyId))
        #expect(!header.recipientKeyIds.contains(alice.boxKey.publicKey.keyId), "sealed to alice's long-term key")
        #expect(!header.recipientKeyIds.contains(try keystore(story, "bob").boxKey.publicKey.keyId))
        // Opened now, with the receiving key; into the case archive.
        let inbox = try story.inbox(as: "alice")
        #expect(inbox.count == 1)
        let id = try #require(inbox.first?["id"] as? String)

        // 22 days on: the 7-day window, the 14-day grace and the server's
        // accept grace are all over. The server restarts with the new time;
        // alice's inbox destroys the key and makes the next one.
        story.server.kill()
        try story.server.start(port: story.server.port, extraEnvironment: Self.ahead(days: 22))
        var later = story.tipline
        later.environment.merge(Self.ahead(days: 22)) { _, new in new }
        let synced = try later.run(["inbox", "--key", "alice.key", "--json"])
        #expect(synced.status == 0, "\(synced.stderr)")
        #expect(synced.stderr.contains("Destroyed 1 receiving key(s)"), "\(synced.stderr)")
        #expect(synced.stderr.contains("New receiving key"), "\(synced.stderr)")

        // Every key left in alice's keystore, tried on the envelope the server keeps: none opens it.
        let after = try keystore(story, "alice")
        #expect(!after.receivingKeys.contains { $0.statement.keyId == first.statement.keyId })
        #expect(after.receivingKeys.count == 1)
        for key in after.openingKeys {
            #expect(throws: EnvelopeError.self) { _ = try Envelope.open(envelope, with: key) }
        }
        // No older copy of the keystore beside it.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: story.directory).filter { $0.hasPrefix("alice.key.tmp") }
        #expect(leftovers.isEmpty)

        // And the case still reads, from the archive.
        let show = try later.run(["show", id, "--key", "alice.key"])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains(message), "\(show.stdout)")

        // A tip sent now goes to the new key, and opens.
        var tipLater = story.tip
        tipLater.environment.merge(Self.ahead(days: 22)) { _, new in new }
        let sent = try tipLater.run(["submit", "--server", story.address, "--org", story.fingerprint, "--message", "a second report",
                                     "--json"])
        #expect(sent.status == 0, "\(sent.stderr)")
        let second = try #require(try storedEnvelopes(story).last)
        #expect(try EnvelopeHeader(parsing: second).recipientKeyIds.contains(after.receivingKeys[0].statement.keyId))
        let both = try later.run(["inbox", "--key", "alice.key", "--json"])
        #expect(both.stdout.contains("a second report"), "\(both.stdout)")
    }

    /// The server keeps four live keys a responder: a fifth `keys rotate`
    /// is refused before anything is written, and `tipline inbox` goes on working.
    @Test func aFifthLiveKeyIsRefusedAndTheInboxKeepsWorking() throws {
        let story = try StoryFixture(name: "fifth", rotate: ["alice"])
        defer { story.tearDown() }
        for _ in 0..<3 { try story.tipline.ok(["keys", "rotate", "--key", "alice.key"]) }
        #expect(try keystore(story, "alice").receivingKeys.count == 4)
        let fifth = try story.tipline.run(["keys", "rotate", "--key", "alice.key"])
        #expect(fifth.status == 1, "\(fifth.stderr)")
        #expect(fifth.stderr.contains("you already have 4 receiving keys that have not expired"), "\(fifth.stderr)")
        #expect(try keystore(story, "alice").receivingKeys.count == 4)
        let listed = try story.tipline.json(["keys", "list", "--key", "alice.key", "--json"]) as! [[String: Any]]
        #expect(listed.count == 4 && listed.allSatisfy { $0["served"] as? Bool == true })
        _ = try story.submit("still works")
        #expect(try story.inbox(as: "alice").count == 1)
    }

    /// Bob never made a receiving key. Under the standard policy a tip leaves
    /// him out; once the organisation allows identity keys, it reaches him
    /// on his long-term key, which the audit and `org show` flag.
    @Test func aResponderWithoutAKeyGetsThePolicy() throws {
        let story = try StoryFixture(name: "policy", rotate: ["alice"])
        defer { story.tearDown() }
        let bob = try keystore(story, "bob")
        _ = try story.submit("skip bob")
        let skipped = try EnvelopeHeader(parsing: try #require(try storedEnvelopes(story).last))
        #expect(skipped.recipients.count == 1)
        #expect(!skipped.recipientKeyIds.contains(bob.boxKey.publicKey.keyId))
        // Bob's inbox lists the tip, but he cannot open it: it was not sealed to him.
        let bobsView = try story.tipline.run(["show", "--key", "bob.key", "--json",
                                              try #require(try story.inbox(as: "alice").first?["id"] as? String)])
        #expect(!bobsView.stdout.contains("skip bob"), "\(bobsView.stdout)")

        try story.tipline.ok(["org", "policy", "--org-key", "org.key", "--identity-fallback"])
        try story.tipline.ok(["org", "publish", "--org-key", "org.key"])
        let shown = try story.tipline.ok(["org", "show", "--org-key", "org.key"])
        #expect(shown.contains("NOT forward-secret"), "\(shown)")
        _ = try story.submit("reach bob")
        let fallback = try EnvelopeHeader(parsing: try #require(try storedEnvelopes(story).last))
        #expect(fallback.recipients.count == 2)
        #expect(fallback.recipientKeyIds.contains(bob.boxKey.publicKey.keyId))

        // With nobody able to receive and no fallback, tip refuses, clearly, before anything is sent.
        try story.tipline.ok(["org", "policy", "--org-key", "org.key", "--skip-without-key"])
        try story.tipline.ok(["org", "revoke", "--org-key", "org.key", "--responder", "alice"])
        try story.tipline.ok(["org", "publish", "--org-key", "org.key"])
        let refused = try story.tip.run(["submit", "--server", story.address, "--org", story.fingerprint, "--message", "nobody"])
        #expect(refused.status == 5, "\(refused.status) \(refused.stderr)")   // busy: a state that passes
        #expect(refused.stderr.contains("No one at the organisation can receive a tip right now"), "\(refused.stderr)")
        #expect(try storedEnvelopes(story).count == 2)
    }
}

/// A hostile server in front of the real one offers `tip` receiving keys it
/// must not trust, or withholds the real ones (issue 15).
@Suite(.serialized) struct HostileReceivingKeyEndToEndTests {
    func keystore(_ story: StoryFixture, _ name: String) throws -> KeystoreContents {
        try Keystore.read(from: story.path("\(name).key"), passphrase: SecureBytes(copying: Array("a story passphrase".utf8)))
    }

    @Test func tipRefusesEveryKeyItCannotTrustAndSealsOnlyToTheGenuineOne() async throws {
        let story = try StoryFixture(name: "hostile-keys", rotate: ["alice"])
        defer { story.tearDown() }
        let alice = try keystore(story, "alice"), bob = try keystore(story, "bob")
        let organisation = try Keystore.read(from: story.path("org.key"), passphrase: SecureBytes(copying: Array("a story passphrase".utf8)))
        let now = UInt64(Date().timeIntervalSince1970)
        func statement(by signer: SigningKeyPair, naming: SigningKeyPair? = nil, org: SigningPublicKey? = nil,
                       from: UInt64, seconds: UInt64) -> [UInt8] {
            let key = BoxKeyPair().publicKey
            var body = ReceivingKeyStatement(organisationKey: org ?? organisation.signingKey.publicKey, responder: naming ?? signer,
                                             publicKey: key, notBefore: from, notAfter: from + seconds).body
            body = Array(body)
            return body + signer.sign(body, context: ReceivingKeyStatement.signatureContext)
        }
        let forged: [[UInt8]] = [
            statement(by: bob.signingKey, from: now - 7_200, seconds: 3_600),                          // expired
            statement(by: alice.signingKey, naming: bob.signingKey, from: now - 10, seconds: 3_600),    // bob's name, alice's signature
            statement(by: bob.signingKey, org: SigningKeyPair().publicKey, from: now - 10, seconds: 3_600),  // another organisation
            statement(by: bob.signingKey, from: now - 10, seconds: 604_801),                           // longer than the bundle allows
            statement(by: SigningKeyPair(), from: now - 10, seconds: 3_600),                           // nobody in the bundle
        ]
        let hostile = try await HostileServer.startServingReceivingKeys({ real in real + forged }, upstreamPort: story.server.port)
        defer { Task { await hostile.shutdown() } }
        let result = try story.tip.run(["submit", "--server", "127.0.0.1:\(hostile.port)", "--org", story.fingerprint,
                                        "--message", "only alice", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let envelope = try #require(try ForwardSecrecyEndToEndTests().storedEnvelopes(story).last)
        // One wrap: alice's genuine receiving key. Bob has none, so the standard policy leaves him out.
        #expect(try EnvelopeHeader(parsing: envelope).recipientKeyIds == [alice.receivingKeys[0].statement.keyId])

        // Only forged keys: nobody can receive, and nothing is sent.
        let onlyForged = try await HostileServer.startServingReceivingKeys({ _ in forged }, upstreamPort: story.server.port)
        defer { Task { await onlyForged.shutdown() } }
        let refused = try story.tip.run(["submit", "--server", "127.0.0.1:\(onlyForged.port)", "--org", story.fingerprint,
                                         "--message", "nobody"])
        #expect(refused.status == 5, "\(refused.stderr)")
        #expect(refused.stderr.contains("No one at the organisation can receive a tip right now"), "\(refused.stderr)")
        #expect(try ForwardSecrecyEndToEndTests().storedEnvelopes(story).count == 1)
    }

    /// A server that withholds the receiving keys gets the bundle's policy:
    /// under the standard one nobody receives; where the organisation allows
    /// identity keys, the tip goes to them (and is not forward-secret).
    @Test func aServerThatWithholdsKeysGetsThePolicy() async throws {
        let story = try StoryFixture(name: "withheld")
        defer { story.tearDown() }
        let withholding = try await HostileServer.startServingReceivingKeys({ _ in [] }, upstreamPort: story.server.port)
        defer { Task { await withholding.shutdown() } }
        let address = "127.0.0.1:\(withholding.port)"
        let refused = try story.tip.run(["submit", "--server", address, "--org", story.fingerprint, "--message", "withheld"])
        #expect(refused.status == 5, "\(refused.stderr)")

        try story.tipline.ok(["org", "policy", "--org-key", "org.key", "--identity-fallback"])
        try story.tipline.ok(["org", "publish", "--org-key", "org.key"])
        let sent = try story.tip.run(["submit", "--server", address, "--org", story.fingerprint, "--message", "to identity keys"])
        #expect(sent.status == 0, "\(sent.stderr)")
        let envelope = try #require(try ForwardSecrecyEndToEndTests().storedEnvelopes(story).last)
        let ids = Set(try EnvelopeHeader(parsing: envelope).recipientKeyIds)
        #expect(ids == [try keystore(story, "alice").boxKey.publicKey.keyId, try keystore(story, "bob").boxKey.publicKey.keyId])
    }
}
