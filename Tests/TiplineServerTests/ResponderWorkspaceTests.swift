import Foundation
import Testing
import TiplineClient
import TiplineCrypto
import TiplineProto
import TiplineTestSupport

/// The responder's side against a live server: what the client refuses
/// even when the server offers it.
@Suite struct ResponderWorkspaceTests {
    func keys(_ f: ServiceFixture) -> KeystoreContents {
        KeystoreContents(role: .responder, name: "alice", signingKey: f.alice.sign, boxKey: f.alice.box, parameters: .insecureForTesting)
    }

    @Test func aRememberedNewerBundleRefusesAnOlderOne() async throws {
        let f = try await ServiceFixture()
        defer { Task { await f.tearDown() } }
        _ = try await f.publishInitialBundle()
        let cachePath = f.directory + "/cache/alice.sqlite"
        let first = try await ResponderWorkspace.open(connection: f.client, keys: keys(f), pinned: f.fingerprint, cachePath: cachePath)
        #expect(first.bundle.version == 1)
        // The cache has since accepted version 5 (from the genuine server);
        // a server that offers version 1 now is rolling the responder back.
        try InboxCache(path: cachePath).remember(SeenBundle(version: 5, id: SystemRandom().bytes(32)))
        await #expect(throws: KeyBundleError.rollback(seen: 5, offered: 1)) {
            _ = try await ResponderWorkspace.open(connection: f.client, keys: keys(f), pinned: f.fingerprint, cachePath: cachePath)
        }
    }

    @Test func anAttachmentThatDoesNotMatchTheManifestIsRefusedAndNotKept() async throws {
        let f = try await ServiceFixture()
        defer { Task { await f.tearDown() } }
        let bundle = try await f.publishInitialBundle()
        // A tip whose manifest promises one file; the stream carries another.
        let key = AttachmentStream.newKey()
        let promised = Array("the ledger".utf8), sent = Array("something else".utf8)
        let content: [UInt8] = try Tipline_V1_TipContent.with {
            $0.what = "see the file"
            $0.replyPublicKey = Data(BoxKeyPair().publicKey.bytes)
            $0.attachments = [.with {
                $0.name = "ledger.txt"
                $0.size = UInt64(promised.count)
                $0.key = key.withUnsafeBytes { Data($0) }
                $0.contentHash = Data(DomainHash.hash(AttachmentFile.contentHashLabel, promised))
            }]
        }.serializedBytes()
        let envelope = try Envelope.seal(content, kind: .tip, context: bundle.id, to: bundle.recipientKeys)
        let submitted = try await f.client.submitTip(envelope: envelope, mailboxKey: SigningKeyPair().publicKey, attachmentCount: 1)
        let encryptor = AttachmentEncryptor(key: key)
        let stream = encryptor.header + encryptor.push(sent[...], final: true)
        _ = try await f.client.uploadAttachment(tipId: Array(submitted.tipID), uploadToken: Array(submitted.uploadToken),
                                                encryptedSize: UInt64(stream.count), pieces: Pieces([stream]))

        let workspace = try await ResponderWorkspace.open(connection: f.client, keys: keys(f), pinned: f.fingerprint,
                                                          cachePath: f.directory + "/cache/alice.sqlite")
        try await workspace.sync()
        let tipCase = try #require(try workspace.cases().first)
        let out = f.directory + "/saved"
        await #expect(throws: ContentError.attachmentMismatch(name: "ledger.txt")) {
            _ = try await workspace.saveAttachments(tipCase, to: out)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).isEmpty)
    }
}
