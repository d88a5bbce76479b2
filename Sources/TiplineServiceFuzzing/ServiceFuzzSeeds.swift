import Foundation
import SwiftProtobuf
import TiplineCrypto
import TiplineProto

/// A seed per method: one call that a well-behaved client could send, with
/// real envelopes sealed to the world's bundle, so that the fuzzer starts
/// from inputs that pass the structural checks and mutates from there.
public enum ServiceFuzzSeeds {
    static let sign: UInt8 = 0x01
    static let realIds: UInt8 = 0x02

    public static func calls(_ world: ServiceFuzzWorld) throws -> [(name: String, call: ServiceFuzzInput.Call)] {
        func index(_ method: String) -> Int { ServiceFuzzInput.methods.firstIndex(of: method)! }
        func sealed(_ kind: EnvelopeKind, _ text: String) throws -> Data {
            Data(try Envelope.seal(Array(text.utf8), kind: kind, context: world.bundle.id, to: world.bundle.recipientKeys))
        }
        func call(_ method: String, _ flags: UInt8, _ message: some SwiftProtobuf.Message) throws -> ServiceFuzzInput.Call {
            ServiceFuzzInput.Call(method: index(method), flags: flags, body: try message.serializedBytes())
        }
        let now = ServiceFuzzWorld.now
        let tip = try sealed(.tip, "seed tip")
        let triage = try sealed(.triageEvent, "status: closed")
        let reply = try sealed(.reply, "we are looking into it")
        let followUp = try sealed(.followUp, "one more thing")
        return [
            ("get-bundle", try call(TiplineMethod.getBundle, 0, Tipline_V1_GetBundleRequest())),
            ("list-bundles", try call(TiplineMethod.listBundles, 0, Tipline_V1_ListBundlesRequest.with { $0.limit = 2 })),
            ("publish-bundle", try call(TiplineMethod.publishBundle, 0, Tipline_V1_PublishBundleRequest.with {
                $0.signedBundle = Data(world.bundle.signed(by: world.organisation).encoded)
            })),
            ("get-challenge", try call(TiplineMethod.getChallenge, 0, Tipline_V1_GetChallengeRequest.with { $0.purpose = 1 })),
            ("submit-tip", try call(TiplineMethod.submitTip, 0, Tipline_V1_SubmitTipRequest.with {
                $0.envelope = tip
                $0.mailboxPublicKey = Data(world.mailboxKey.publicKey.bytes)
                $0.attachmentCount = 1
            })),
            ("upload-attachment", try call(TiplineMethod.uploadAttachment, realIds | 0x40, Tipline_V1_UploadAttachmentRequest.with {
                $0.start = .with { $0.encryptedSize = 200 }
            })),
            ("sync-inbox", try call(TiplineMethod.syncInbox, sign, Tipline_V1_SyncInboxRequest())),
            ("download-attachment", try call(TiplineMethod.downloadAttachment, sign | realIds, Tipline_V1_DownloadAttachmentRequest())),
            ("append-triage-event", try call(TiplineMethod.appendTriageEvent, sign | realIds, Tipline_V1_AppendTriageEventRequest.with {
                $0.envelope = triage
            })),
            ("post-reply", try call(TiplineMethod.postReply, sign | realIds, Tipline_V1_PostReplyRequest.with {
                $0.envelope = reply
            })),
            ("set-expiry", try call(TiplineMethod.setExpiry, sign | realIds, Tipline_V1_SetExpiryRequest.with {
                $0.expiresAt = now + 86_400 * 400
            })),
            ("purge-expired", try call(TiplineMethod.purgeExpired, sign, Tipline_V1_PurgeExpiredRequest())),
            ("fetch-mailbox", try call(TiplineMethod.fetchMailbox, sign | realIds, Tipline_V1_FetchMailboxRequest.with { $0.limit = 3 })),
            ("post-follow-up", try call(TiplineMethod.postFollowUp, sign | realIds, Tipline_V1_PostFollowUpRequest.with {
                $0.envelope = followUp
            })),
            ("get-audit-log", try call(TiplineMethod.getAuditLog, 0, Tipline_V1_GetAuditLogRequest.with { $0.afterSequence = 1 })),
            ("get-audit-head", try call(TiplineMethod.getAuditHead, 0, Tipline_V1_GetAuditHeadRequest())),
            ("publish-receiving-key", try call(TiplineMethod.publishReceivingKey, sign, Tipline_V1_PublishReceivingKeyRequest.with {
                $0.statement = Data(ReceivingKeyStatement(organisationKey: world.organisation.publicKey, responder: world.responder.sign,
                                                          publicKey: BoxKeyPair(seed: SecureBytes(copying: [UInt8](repeating: 9, count: 32))).publicKey,
                                                          notBefore: now - 60, notAfter: now + 86_400).encoded)
            })),
        ]
    }

    /// Writes one file per seed, plus one with several calls on one connection.
    @discardableResult
    public static func write(to directory: String) throws -> Int {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let seeds = try calls(ServiceFuzzHarness.world)
        for (name, call) in seeds {
            try Data(call.encoded).write(to: URL(fileURLWithPath: directory).appendingPathComponent("seed-\(name)"))
        }
        let several = seeds.prefix(8).flatMap(\.call.encoded)
        try Data(several).write(to: URL(fileURLWithPath: directory).appendingPathComponent("seed-several-calls"))
        return seeds.count + 1
    }
}
