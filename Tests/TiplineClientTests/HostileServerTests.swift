import Foundation
import Testing
import TiplineClient
import TiplineCrypto
import TiplineProto
import TiplineRPC
import TiplineTestSupport

/// Issue 12 item 1, the client side: a hostile server answers every method
/// with every integer field of its response (nested ones too, found by
/// walking the generated descriptors) set to 0, 2^31, 2^63−1, 2^63 or
/// 2^64−1. Every client operation must return or throw a typed error; none
/// may trap (a trap would take this test process down).
@Suite(.serialized) struct HostileServerTests {
    static let extremes: [UInt64] = [0, 1 << 31, UInt64(Int64.max), 1 << 63, UInt64.max]

    @Test func everyClientOperationSurvivesExtremeIntegersFromAServer() async throws {
        let responder = SigningKeyPair()
        let organisation = SigningKeyPair()
        let keys = Codename().deriveKeys()
        var outcomes: [String] = []
        for value in Self.extremes {
            let server = try await HostileServer.start(.extremeIntegers(value))
            let client = try await TiplineConnection.connect(host: "127.0.0.1", port: server.port)
            let operations: [(String, () async throws -> Void)] = [
                ("fetchBundle", { _ = try await client.fetchBundle(pinned: Fingerprint(organisationKey: organisation.publicKey)) }),
                ("listBundles", { _ = try await client.listBundles() }),
                ("proofOfWork", { _ = try await client.proofOfWork(for: [1, 2, 3], purpose: .submitTip) { _, _ in true } }),
                ("syncInbox", { _ = try await client.syncInbox(after: 0, as: responder) }),
                ("downloadAttachment", { try await client.downloadAttachment(id: [1], as: responder) { _ in } }),
                ("appendTriageEvent", { _ = try await client.appendTriageEvent(tipId: [1], envelope: [2], as: responder) }),
                ("postReply", { _ = try await client.postReply(tipId: [1], envelope: [2], as: responder) }),
                ("setExpiry", { _ = try await client.setExpiry(tipId: [1], expiresAt: 5, as: responder) }),
                ("purgeExpired", { _ = try await client.purgeExpired(as: responder) }),
                ("fetchMailbox", { _ = try await client.fetchMailbox(keys) }),
                ("auditLog", { _ = try await client.auditLog() }),
                ("auditHead", { _ = try await client.auditHead() }),
            ]
            for (name, operation) in operations {
                do {
                    try await operation()
                    outcomes.append("\(name) \(value): returned")
                } catch {
                    // A typed error, with words a person can read.
                    #expect(!"\(error)".isEmpty)
                    outcomes.append("\(name) \(value): \(type(of: error))")
                }
            }
            await client.close()
            await server.shutdown()
        }
        #expect(outcomes.count == Self.extremes.count * 12)
    }
}
