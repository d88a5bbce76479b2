import Foundation
import SwiftProtobuf
import TiplineCrypto
import TiplineLocking
import TiplineProto
import TiplineRPC

/// The typed client both command-line tools share: one connection to a
/// tipline-server, with request signing and proof of work built in.
public final class TiplineConnection: Sendable {
    public let rpc: RPCClient
    /// Unix seconds; tests move it.
    public let clock: @Sendable () -> UInt64
    /// The key id of the server's identity key, which every signed request
    /// names (PROTOCOL.md §16.1): from the verified bundle once one was
    /// fetched, else from the bundle the server serves.
    private let server = Locked<KeyId?>(nil)

    public init(rpc: RPCClient, clock: @escaping @Sendable () -> UInt64 = { UInt64(Date().timeIntervalSince1970) }) {
        self.rpc = rpc
        self.clock = clock
    }

    public static func connect(host: String, port: Int, tls: ClientTLS? = nil,
                               configuration: ClientConfiguration = ClientConfiguration(),
                               clock: @escaping @Sendable () -> UInt64 = { UInt64(Date().timeIntervalSince1970) }) async throws -> TiplineConnection {
        TiplineConnection(rpc: try await RPCClient.connect(host: host, port: port, tls: tls, configuration: configuration), clock: clock)
    }

    public func close() async { await rpc.close() }

    /// Metadata carrying a signature over `request` for `method` on this server (PROTOCOL.md §16).
    func signed<M: SwiftProtobuf.Message>(_ method: String, _ request: M, keyReference: [UInt8],
                                          key: SigningKeyPair) async throws -> Metadata {
        Self.signatureMetadata(method: method, server: try await serverKeyId(), body: try request.serializedBytes(),
                               keyReference: keyReference, key: key, time: clock())
    }

    /// The key id of this server's identity key. A signature that names it
    /// is good only here: replayed to another server, even one that knows the
    /// same responder, it is refused. An unverified bundle is enough for
    /// that, because the server it came from is the one being signed for.
    public func serverKeyId() async throws -> KeyId {
        if let known = server.withLock({ $0 }) { return known }
        let response = try await rpc.unary(TiplineMethod.getBundle, Tipline_V1_GetBundleRequest(), as: Tipline_V1_GetBundleResponse.self)
        let id = try SignedKeyBundle(parsing: Array(response.signedBundle)).unverifiedBundle.serverKey.keyId
        server.withLock { $0 = id }
        return id
    }

    /// The `tl-*` metadata signing exactly `body` for `method` on `server`
    /// at `time` (PROTOCOL.md §16.1). Public for tests that sign hand-built bodies.
    public static func signatureMetadata(method: String, server: KeyId, body: [UInt8], keyReference: [UInt8], key: SigningKeyPair,
                                         time: UInt64) -> Metadata {
        let signature = RequestSignature.sign(method: method, server: server, body: body, keyReference: keyReference, key: key,
                                              time: time)
        var timeBytes = ByteWriter(capacity: 8)
        timeBytes.write(signature.time)
        var metadata = Metadata()
        metadata.append("tl-key", signature.keyReference)
        metadata.append("tl-time", timeBytes.bytes)
        metadata.append("tl-nonce", signature.nonce)
        metadata.append("tl-signature", signature.signature)
        return metadata
    }

    // MARK: Bundles

    /// Fetches the bundle in force and verifies it against the pinned fingerprint.
    public func fetchBundle(pinned: Fingerprint, lastSeen: SeenBundle? = nil) async throws -> (bundle: KeyBundle, signed: SignedKeyBundle) {
        let fetched = try await fetchBundleAndReceivingKeys(pinned: pinned, lastSeen: lastSeen)
        return (fetched.bundle, fetched.signed)
    }

    /// The bundle in force, verified, and the receiving-key statements served
    /// with it, unverified: ``RecipientSelection`` verifies each (PROTOCOL.md
    /// §3.5). A server that sends more than a bundle's responders can have,
    /// or statements of the wrong size, is refused before anything is parsed.
    public func fetchBundleAndReceivingKeys(pinned: Fingerprint, lastSeen: SeenBundle? = nil) async throws
        -> (bundle: KeyBundle, signed: SignedKeyBundle, receivingKeys: [[UInt8]]) {
        let response = try await rpc.unary(TiplineMethod.getBundle, Tipline_V1_GetBundleRequest(), as: Tipline_V1_GetBundleResponse.self)
        let limit = KeyBundle.maxResponders * ReceivingKeyStatement.maximumLivePerResponder
        guard response.receivingKeys.count <= limit else {
            throw ServerAnswerError.tooLarge("list of receiving keys", limit: "\(limit) keys")
        }
        let signed = try SignedKeyBundle(parsing: Array(response.signedBundle))
        let bundle = try signed.verify(pinned: pinned, now: clock(), lastSeen: lastSeen)
        server.withLock { $0 = bundle.serverKey.keyId }
        return (bundle, signed, response.receivingKeys.map { Array($0) })
    }

    /// Publishes one of this responder's receiving keys (PROTOCOL.md §14.2).
    public func publishReceivingKey(_ statement: ReceivingKeyStatement, as responder: SigningKeyPair) async throws -> UInt64 {
        let request = Tipline_V1_PublishReceivingKeyRequest.with { $0.statement = Data(statement.encoded) }
        return try await rpc.unary(TiplineMethod.publishReceivingKey, request, as: Tipline_V1_AppendResponse.self,
                                   metadata: try await signed(TiplineMethod.publishReceivingKey, request,
                                                        keyReference: responder.publicKey.keyId.bytes, key: responder)).sequence
    }

    public func publishBundle(_ signed: SignedKeyBundle) async throws -> UInt64 {
        try await rpc.unary(TiplineMethod.publishBundle, Tipline_V1_PublishBundleRequest.with { $0.signedBundle = Data(signed.encoded) },
                            as: Tipline_V1_PublishBundleResponse.self).version
    }

    /// The most a client accepts from one paged list (PROTOCOL.md §12).
    public static let maximumListItems = 100_000
    public static let maximumListBytes = 256 * 1024 * 1024

    /// Every published bundle, oldest first, fetched a page at a time.
    public func listBundles() async throws -> [[UInt8]] {
        var all: [[UInt8]] = []
        var after: UInt64 = 0
        var bytes = 0
        while true {
            let page = try await rpc.unary(TiplineMethod.listBundles, Tipline_V1_ListBundlesRequest.with { $0.afterVersion = after },
                                           as: Tipline_V1_ListBundlesResponse.self)
            // Callers verify the bundles and their order (an auditor reports a
            // reordered history); paging only needs the server's position to advance.
            for signed in page.signedBundles {
                bytes += signed.count
                all.append(Array(signed))
            }
            guard all.count <= Self.maximumListItems, bytes <= Self.maximumListBytes else {
                throw ServerAnswerError.tooLarge("bundle list", limit: "\(Self.maximumListItems) bundles, \(Self.maximumListBytes) bytes")
            }
            if !page.more { return all }
            guard !page.signedBundles.isEmpty, page.nextAfterVersion > after else { throw ServerAnswerError.noProgress("bundle list") }
            after = page.nextAfterVersion
        }
    }

    // MARK: Submission

    /// Gets a challenge and solves it for `envelope`. `progress` sees attempts
    /// so far and the expected total; returning false cancels.
    public func proofOfWork(for envelope: [UInt8], purpose: ProofOfWorkPurpose,
                            progress: @escaping (UInt64, UInt64) -> Bool = { _, _ in true }) async throws -> Tipline_V1_ProofOfWork {
        let response = try await rpc.unary(TiplineMethod.getChallenge, Tipline_V1_GetChallengeRequest.with { $0.purpose = UInt32(purpose.rawValue) },
                                           as: Tipline_V1_GetChallengeResponse.self)
        let challenge = try ProofOfWorkChallenge(parsing: Array(response.challenge))
        let expected = ProofOfWorkSolver.expectedAttempts(difficulty: challenge.difficulty)
        let counter = try ProofOfWorkSolver.solve(challenge, binding: DomainHash.hash("tipline/v1/pow/binding", envelope)) {
            progress($0, expected)
        }
        return .with {
            $0.challenge = Data(challenge.encoded)
            $0.counter = counter
        }
    }

    /// Files a tip. `uploadToken`, when given, is the one the tipster's
    /// codename derives (PROTOCOL.md §6.3); otherwise the server draws one.
    public func submitTip(envelope: [UInt8], mailboxKey: SigningPublicKey, attachmentCount: Int = 0, uploadToken: SecureBytes? = nil,
                          progress: @escaping (UInt64, UInt64) -> Bool = { _, _ in true }) async throws -> Tipline_V1_SubmitTipResponse {
        let proof = try await proofOfWork(for: envelope, purpose: .submitTip, progress: progress)
        return try await rpc.unary(TiplineMethod.submitTip, Tipline_V1_SubmitTipRequest.with {
            $0.envelope = Data(envelope)
            $0.proofOfWork = proof
            $0.mailboxPublicKey = Data(mailboxKey.bytes)
            $0.attachmentCount = UInt32(attachmentCount)
            if let uploadToken { $0.uploadToken = uploadToken.withUnsafeBytes { Data($0) } }
        }, as: Tipline_V1_SubmitTipResponse.self)
    }

    /// Uploads an encrypted attachment stream to a tip by its id, with the
    /// token the server answered (a client that let the server draw it).
    public func uploadAttachment(tipId: [UInt8], uploadToken: [UInt8], encryptedSize: UInt64,
                                 pieces: some AsyncSequence<[UInt8], any Error> & Sendable) async throws -> Tipline_V1_UploadAttachmentResponse {
        try await uploadAttachment(tip: .id(tipId), uploadToken: SecureBytes(copying: uploadToken), encryptedSize: encryptedSize,
                                   pieces: pieces)
    }

    /// Uploads an encrypted attachment stream given in pieces.
    public func uploadAttachment(tip: UploadTarget, uploadToken: SecureBytes, encryptedSize: UInt64,
                                 pieces: some AsyncSequence<[UInt8], any Error> & Sendable) async throws -> Tipline_V1_UploadAttachmentResponse {
        let start = Tipline_V1_UploadAttachmentRequest.with {
            $0.start = .with {
                switch tip {
                case .id(let id): $0.tipID = Data(id)
                case .mailbox(let id): $0.mailboxID = Data(id)
                }
                $0.uploadToken = uploadToken.withUnsafeBytes { Data($0) }
                $0.encryptedSize = encryptedSize
            }
        }
        return try await rpc.clientStreaming(TiplineMethod.uploadAttachment, requests: UploadParts(start: start, pieces: pieces),
                                             as: Tipline_V1_UploadAttachmentResponse.self)
    }

    // MARK: Responders

    /// Every inbox item after `cursor`, signed by `responder`.
    public func syncInbox(after cursor: UInt64, as responder: SigningKeyPair) async throws -> [Tipline_V1_InboxItem] {
        let request = Tipline_V1_SyncInboxRequest.with { $0.afterSequence = cursor }
        let metadata = try await signed(TiplineMethod.syncInbox, request, keyReference: responder.publicKey.keyId.bytes, key: responder)
        var items: [Tipline_V1_InboxItem] = []
        for try await item in try await rpc.serverStreaming(TiplineMethod.syncInbox, request, as: Tipline_V1_InboxItem.self,
                                                            metadata: metadata) {
            items.append(item)
        }
        return items
    }

    public func downloadAttachment(id: [UInt8], as responder: SigningKeyPair,
                                   _ body: ([UInt8]) async throws -> Void) async throws {
        let request = Tipline_V1_DownloadAttachmentRequest.with { $0.attachmentID = Data(id) }
        let metadata = try await signed(TiplineMethod.downloadAttachment, request, keyReference: responder.publicKey.keyId.bytes, key: responder)
        for try await chunk in try await rpc.serverStreaming(TiplineMethod.downloadAttachment, request,
                                                             as: Tipline_V1_AttachmentChunk.self, metadata: metadata) {
            try await body(Array(chunk.data))
        }
    }

    public func appendTriageEvent(tipId: [UInt8], envelope: [UInt8], as responder: SigningKeyPair) async throws -> UInt64 {
        let request = Tipline_V1_AppendTriageEventRequest.with {
            $0.tipID = Data(tipId)
            $0.envelope = Data(envelope)
        }
        return try await rpc.unary(TiplineMethod.appendTriageEvent, request, as: Tipline_V1_AppendResponse.self,
                                   metadata: try await signed(TiplineMethod.appendTriageEvent, request,
                                                        keyReference: responder.publicKey.keyId.bytes, key: responder)).sequence
    }

    public func postReply(tipId: [UInt8], envelope: [UInt8], as responder: SigningKeyPair) async throws -> UInt64 {
        let request = Tipline_V1_PostReplyRequest.with {
            $0.tipID = Data(tipId)
            $0.envelope = Data(envelope)
        }
        return try await rpc.unary(TiplineMethod.postReply, request, as: Tipline_V1_AppendResponse.self,
                                   metadata: try await signed(TiplineMethod.postReply, request,
                                                        keyReference: responder.publicKey.keyId.bytes, key: responder)).sequence
    }

    public func setExpiry(tipId: [UInt8], expiresAt: UInt64, as responder: SigningKeyPair) async throws -> UInt64 {
        let request = Tipline_V1_SetExpiryRequest.with {
            $0.tipID = Data(tipId)
            $0.expiresAt = expiresAt
        }
        return try await rpc.unary(TiplineMethod.setExpiry, request, as: Tipline_V1_AppendResponse.self,
                                   metadata: try await signed(TiplineMethod.setExpiry, request,
                                                        keyReference: responder.publicKey.keyId.bytes, key: responder)).sequence
    }

    public func purgeExpired(as responder: SigningKeyPair) async throws -> UInt32 {
        let request = Tipline_V1_PurgeExpiredRequest()
        return try await rpc.unary(TiplineMethod.purgeExpired, request, as: Tipline_V1_PurgeExpiredResponse.self,
                                   metadata: try await signed(TiplineMethod.purgeExpired, request,
                                                        keyReference: responder.publicKey.keyId.bytes, key: responder)).purged
    }

    // MARK: Mailbox

    /// Every message in the mailbox after `cursor`, fetched a page at a
    /// time so that a long conversation never outgrows one frame.
    public func fetchMailbox(_ keys: CodenameKeys, after cursor: UInt64 = 0) async throws -> [Tipline_V1_MailboxMessage] {
        var all: [Tipline_V1_MailboxMessage] = []
        var after = cursor
        var bytes = 0
        while true {
            let request = Tipline_V1_FetchMailboxRequest.with {
                $0.mailboxID = Data(keys.mailboxId)
                $0.afterSequence = after
            }
            let page = try await rpc.unary(TiplineMethod.fetchMailbox, request, as: Tipline_V1_FetchMailboxResponse.self,
                                           metadata: try await signed(TiplineMethod.fetchMailbox, request, keyReference: keys.mailboxId,
                                                                key: keys.mailboxKey))
            for message in page.messages {
                guard message.sequence > after else { throw ServerAnswerError.noProgress("mailbox") }
                after = message.sequence
                bytes += message.envelope.count
            }
            all += page.messages
            guard all.count <= Self.maximumListItems, bytes <= Self.maximumListBytes else {
                throw ServerAnswerError.tooLarge("mailbox", limit: "\(Self.maximumListItems) messages, \(Self.maximumListBytes) bytes")
            }
            if !page.more { return all }
            guard !page.messages.isEmpty else { throw ServerAnswerError.noProgress("mailbox") }
        }
    }

    public func postFollowUp(_ keys: CodenameKeys, envelope: [UInt8]) async throws -> UInt64 {
        let proof = try await proofOfWork(for: envelope, purpose: .followUp)
        let request = Tipline_V1_PostFollowUpRequest.with {
            $0.mailboxID = Data(keys.mailboxId)
            $0.envelope = Data(envelope)
            $0.proofOfWork = proof
        }
        return try await rpc.unary(TiplineMethod.postFollowUp, request, as: Tipline_V1_AppendResponse.self,
                                   metadata: try await signed(TiplineMethod.postFollowUp, request, keyReference: keys.mailboxId,
                                                        key: keys.mailboxKey)).sequence
    }

    // MARK: Audit

    public func auditLog(after cursor: UInt64 = 0) async throws -> [Tipline_V1_AuditEntry] {
        var entries: [Tipline_V1_AuditEntry] = []
        for try await entry in try await rpc.serverStreaming(TiplineMethod.getAuditLog,
                                                             Tipline_V1_GetAuditLogRequest.with { $0.afterSequence = cursor },
                                                             as: Tipline_V1_AuditEntry.self) {
            entries.append(entry)
        }
        return entries
    }

    public func auditHead() async throws -> Tipline_V1_SignedAuditHead {
        try await rpc.unary(TiplineMethod.getAuditHead, Tipline_V1_GetAuditHeadRequest(), as: Tipline_V1_SignedAuditHead.self)
    }
}
