import Foundation
import TiplineCrypto
import TiplineProto
import TiplineRPC
import TiplineStore

extension TipService {
    func registerResponderMethods(_ table: inout MethodTable) {
        table.register(TiplineMethod.syncInbox,
                       .serverStreaming(Tipline_V1_SyncInboxRequest.self, Tipline_V1_InboxItem.self) { request, writer, context in
            _ = try await self.authenticateResponder(context)
            let limit = request.limit == 0 ? self.configuration.inboxPageSize : min(Int(request.limit), self.configuration.inboxPageSize)
            var cursor = try WireInteger.storable(request.afterSequence, field: "after_sequence")
            // Pages until caught up; each page is one read transaction.
            while true {
                let page = try await self.store.inbox(after: cursor, limit: limit)
                for (sequence, record) in page {
                    cursor = sequence
                    guard let item = Self.inboxItem(sequence, record) else { continue }
                    try await writer.write(item)
                }
                if page.count < limit { break }
            }
        })
        table.register(TiplineMethod.downloadAttachment,
                       .serverStreaming(Tipline_V1_DownloadAttachmentRequest.self, Tipline_V1_AttachmentChunk.self) { request, writer, context in
            _ = try await self.authenticateResponder(context)
            do {
                try await self.store.attachmentChunks(id: Array(request.attachmentID)) { chunk in
                    try await writer.write(.with { $0.data = chunk.data })
                }
            } catch let error as StoreError {
                throw error.rpcError
            }
        })
        table.register(TiplineMethod.appendTriageEvent,
                       .unary(Tipline_V1_AppendTriageEventRequest.self, Tipline_V1_AppendResponse.self) { request, context in
            let responder = try await self.authenticateResponder(context)
            let envelope = Array(request.envelope)
            _ = try self.checkEnvelope(envelope, kind: .triageEvent, current: try self.currentBundle())
            return try await self.append(tip: Array(request.tipID), kind: .triageEvent, envelope: envelope, actor: responder.id.bytes)
        })
        table.register(TiplineMethod.postReply, .unary(Tipline_V1_PostReplyRequest.self, Tipline_V1_AppendResponse.self) { request, context in
            let responder = try await self.authenticateResponder(context)
            let envelope = Array(request.envelope)
            try await self.checkReply(envelope, tipId: Array(request.tipID))
            return try await self.append(tip: Array(request.tipID), kind: .reply, envelope: envelope, actor: responder.id.bytes)
        })
        table.register(TiplineMethod.setExpiry, .unary(Tipline_V1_SetExpiryRequest.self, Tipline_V1_AppendResponse.self) { request, context in
            let responder = try await self.authenticateResponder(context)
            do {
                let expiresAt = try WireInteger.storable(request.expiresAt, field: "expires_at")
                let sequence = try await self.store.setExpiry(tipId: Array(request.tipID), expiresAt: expiresAt,
                                                              actor: responder.id.bytes, now: self.clock())
                return .with { $0.sequence = sequence }
            } catch let error as StoreError {
                throw error.rpcError
            }
        })
        table.register(TiplineMethod.publishReceivingKey,
                       .unary(Tipline_V1_PublishReceivingKeyRequest.self, Tipline_V1_AppendResponse.self) { request, context in
            let responder = try await self.authenticateResponder(context)
            return try await self.publishReceivingKey(Array(request.statement), by: responder)
        })
        table.register(TiplineMethod.purgeExpired,
                       .unary(Tipline_V1_PurgeExpiredRequest.self, Tipline_V1_PurgeExpiredResponse.self) { _, context in
            let responder = try await self.authenticateResponder(context)
            // Deleting records is an admin's decision, not any responder's.
            guard responder.role == .admin else {
                throw RPCError(.permissionDenied, "only an admin of the current bundle may purge expired tips")
            }
            let purged = try await self.store.purgeExpired(now: self.clock(), actor: responder.id.bytes)
            return .with { $0.purged = UInt32(clamping: purged) }
        })
    }

    /// PROTOCOL.md §14.2: a responder's own receiving key, valid now under
    /// the bundle in force, not too far ahead, and within the per-responder bound.
    func publishReceivingKey(_ bytes: [UInt8], by responder: Responder) async throws -> Tipline_V1_AppendResponse {
        let current = try currentBundle()
        let now = clock()
        let statement: ReceivingKeyStatement
        do {
            statement = try ReceivingKeyStatement(parsing: bytes)
            try statement.verify(in: current.bundle, now: now)
        } catch .wrongOrganisation, .unknownResponder, .badSignature {
            throw RPCError(.permissionDenied, "the receiving key is not signed by a responder of the key bundle in force")
        } catch .expired, .notYetValid {
            throw RPCError(.failedPrecondition, "the receiving key is not valid now (check this computer's clock)")
        } catch {
            throw RPCError(.invalidArgument, "malformed receiving key: \(error)")
        }
        guard statement.responderId == responder.id else {
            throw RPCError(.permissionDenied, "a responder may publish only their own receiving keys")
        }
        do {
            let sequence = try await store.publishReceivingKey(
                statement: statement.encoded, keyId: statement.keyId.bytes, responderId: statement.responderId.bytes,
                notBefore: statement.notBefore, notAfter: statement.notAfter,
                limit: ReceivingKeyStatement.maximumLivePerResponder, now: now)
            receivingKeys.prune(now: now)
            receivingKeys.insert(statement)
            logger.info("receiving key published", metadata: ["valid for": "\(statement.notAfter - statement.notBefore) s"])
            return .with { $0.sequence = sequence }
        } catch let error as StoreError {
            throw error.rpcError
        }
    }

    func append(tip: [UInt8], kind: AuditKind, envelope: [UInt8], actor: [UInt8]) async throws -> Tipline_V1_AppendResponse {
        do {
            let sequence = try await store.appendEvent(tipId: tip, kind: kind, envelope: envelope, actor: actor, now: clock())
            return .with { $0.sequence = sequence }
        } catch let error as StoreError {
            throw error.rpcError
        }
    }

    /// A reply names the tip's mailbox as its context and is sealed to every
    /// responder plus exactly one more key: the tipster's reply key, which
    /// only the sealed tip reveals.
    func checkReply(_ envelope: [UInt8], tipId: [UInt8]) async throws {
        let current = try currentBundle()
        guard envelope.count <= configuration.maximumEnvelopeSize else {
            throw RPCError(.resourceExhausted, "the envelope is too large")
        }
        guard let mailboxId = try await store.mailboxId(ofTip: tipId) else { throw RPCError(.notFound, "no such tip") }
        let header = try parseNewEnvelope(envelope)
        let rule = ResponderRecipientRule(bundle: current.bundle, receivingKeys: receivingKeys.accepted(now: clock()))
        do {
            try rule.check(header, kind: .reply, context: mailboxId, extraRecipients: 1, extraRequired: true)
        } catch {
            throw RPCError(.failedPrecondition, "a reply must be sealed to the current responders and the tipster's reply key (\(error))")
        }
    }

    static func inboxItem(_ sequence: UInt64, _ record: InboxRecord) -> Tipline_V1_InboxItem? {
        var item = Tipline_V1_InboxItem()
        item.sequence = sequence
        switch record {
        case .tip(let id, let envelope, let receivedAt, let expiresAt, let mailboxId):
            item.tip = .with {
                $0.tipID = id.data
                $0.envelope = envelope.data
                $0.receivedAt = receivedAt
                $0.expiresAt = expiresAt ?? 0
                $0.mailboxID = mailboxId.data
            }
        case .event(let tipId, _, let envelope, let receivedAt, let actor):
            item.event = .with {
                $0.tipID = tipId.data
                $0.envelope = envelope.data
                $0.receivedAt = receivedAt
                $0.actorKeyID = actor.data
            }
        case .attachment(let id, let tipId, let size):
            item.attachment = .with {
                $0.attachmentID = id.data
                $0.encryptedSize = size
                $0.tipID = tipId.data
            }
        case .purged(let tipId):
            item.purgedTipID = tipId.data
        case .none:
            return nil
        }
        return item
    }
}
