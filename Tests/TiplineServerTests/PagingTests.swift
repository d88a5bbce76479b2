import Foundation
import Testing
import TiplineClient
import TiplineCrypto
import TiplineProto
import TiplineRPC

/// Lists come in pages that fit a frame, and the client reads every page.
/// Before issue 12 FetchMailbox and ListBundles answered with everything in
/// one message, so a conversation past 1 MiB could never be read again.
@Suite(.serialized) struct PagingTests {
    @Test func aMailboxOfMoreThanFourMebibytesIsReadWhole() async throws {
        let f = try await ServiceFixture()
        let bundle = try await f.publishInitialBundle()
        let (codename, submitted) = try await f.submitTip("a long conversation", bundle: bundle)
        let keys = codename.deriveKeys()
        // Nine replies of 500,000 bytes: each envelope is about 525 KB, 4.7 MB in all.
        for i in 0..<9 {
            let text = [UInt8](repeating: UInt8(ascii: "a") + UInt8(i), count: 500_000)
            let reply = try Envelope.seal(text, kind: .reply, context: keys.mailboxId, to: bundle.recipientKeys + [keys.replyKey.publicKey])
            _ = try await f.client.postReply(tipId: Array(submitted.tipID), envelope: reply, as: f.alice.sign)
        }
        let messages = try await f.client.fetchMailbox(keys)
        #expect(messages.count == 9)
        #expect(messages.reduce(0) { $0 + $1.envelope.count } > 4 * 1024 * 1024)
        for (i, message) in messages.enumerated() {
            let opened = try Envelope.open(Array(message.envelope), with: keys.replyKey)
            #expect(opened.count == 500_000 && opened.withUnsafeBytes { $0[0] } == UInt8(ascii: "a") + UInt8(i))
        }
        // A page never outgrows the frame: one raw page holds what fits in the budget.
        let request = Tipline_V1_FetchMailboxRequest.with { $0.mailboxID = Data(keys.mailboxId) }
        let page = try await f.client.rpc.unary(TiplineMethod.fetchMailbox, request, as: Tipline_V1_FetchMailboxResponse.self,
                                                metadata: TiplineConnection.signatureMetadata(
                                                    method: TiplineMethod.fetchMailbox, server: f.identity.publicKey.keyId, body: try request.serializedBytes(),
                                                    keyReference: keys.mailboxId, key: keys.mailboxKey, time: f.clock.read()))
        #expect(page.messages.count == 1 && page.more)
        await f.tearDown()
    }

    @Test func aHundredBundlesOfAHundredAndTwentyEightRespondersAreListedAndVerified() async throws {
        let f = try await ServiceFixture()
        let responders = (0..<128).map { _ in (sign: SigningKeyPair(), box: BoxKeyPair()) }
        for version in 1...100 {
            _ = try await f.client.publishBundle(try f.bundle(version: UInt64(version), responders: responders))
        }
        let listed = try await f.client.listBundles()
        #expect(listed.count == 100)
        #expect(listed.reduce(0) { $0 + $1.count } > 1024 * 1024)
        let history = try await TrustedBundles.history(over: f.client, pinned: f.fingerprint)
        #expect(history.map(\.version) == Array(1...100))
        #expect(history.allSatisfy { $0.responders.count == 128 })
        await f.tearDown()
    }
}
