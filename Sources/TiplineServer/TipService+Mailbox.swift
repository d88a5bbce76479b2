import TiplineCrypto
import TiplineProto
import TiplineRPC
import TiplineStore

extension TipService {
    func registerMailboxMethods(_ table: inout MethodTable) {
        table.register(TiplineMethod.fetchMailbox,
                       .unary(Tipline_V1_FetchMailboxRequest.self, Tipline_V1_FetchMailboxResponse.self) { request, context in
            let mailboxId = Array(request.mailboxID)
            _ = try await self.authenticateMailbox(context, mailboxId: mailboxId)
            let after = try WireInteger.storable(request.afterSequence, field: "after_sequence")
            let limit = self.pageLimit(request.limit)
            let rows = try await self.store.mailboxMessages(id: mailboxId, after: after, limit: limit + 1)
            let (messages, more) = self.page(rows, limit: limit, size: { $0.1.count })
            return .with {
                $0.more = more
                $0.messages = messages.map { sequence, envelope, receivedAt in
                    .with {
                        $0.sequence = sequence
                        $0.envelope = envelope.data
                        $0.receivedAt = receivedAt
                    }
                }
            }
        })
        table.register(TiplineMethod.postFollowUp,
                       .unary(Tipline_V1_PostFollowUpRequest.self, Tipline_V1_AppendResponse.self) { request, context in
            let mailboxId = Array(request.mailboxID)
            let tipId = try await self.authenticateMailbox(context, mailboxId: mailboxId)
            let envelope = Array(request.envelope)
            _ = try self.checkEnvelope(envelope, kind: .followUp, current: try self.currentBundle())
            try await self.spendDurably(try self.checkProofOfWork(request.proofOfWork, purpose: .followUp, envelope: envelope))
            return try await self.append(tip: tipId, kind: .followUp, envelope: envelope, actor: [])
        })
    }
}
