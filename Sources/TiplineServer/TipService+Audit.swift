import TiplineCrypto
import TiplineProto
import TiplineRPC
import TiplineStore

extension TipService {
    func registerAuditMethods(_ table: inout MethodTable) {
        // Public: entries hold only ids, hashes, coarse times and responder
        // key ids that the public bundle lists anyway.
        table.register(TiplineMethod.getAuditLog,
                       .serverStreaming(Tipline_V1_GetAuditLogRequest.self, Tipline_V1_AuditEntry.self) { request, writer, _ in
            var cursor = try WireInteger.storable(request.afterSequence, field: "after_sequence")
            while true {
                let page = try await self.store.auditEntries(after: cursor, limit: 1000)
                for entry in page {
                    cursor = entry.sequence
                    try await writer.write(.with {
                        $0.sequence = entry.sequence
                        $0.time = entry.time
                        $0.kind = UInt32(entry.kind.rawValue)
                        $0.subject = entry.subject.data
                        $0.actorKeyID = entry.actor.data
                        $0.payloadHash = entry.payloadHash.data
                        $0.previousHash = entry.previousHash.data
                        $0.entryHash = entry.entryHash.data
                    })
                }
                if page.count < 1000 { break }
            }
        })
        // The head stored, signed, by the commit that last grew the chain:
        // no signing on request, so this public method costs one read.
        table.register(TiplineMethod.getAuditHead, .unary(Tipline_V1_GetAuditHeadRequest.self, Tipline_V1_SignedAuditHead.self) { _, _ in
            guard let head = try await self.store.latestAuditHead() else {
                throw RPCError(.failedPrecondition, "this store keeps no signed audit head")
            }
            return .with {
                $0.sequence = head.sequence
                $0.headHash = head.headHash.data
                $0.time = head.time
                $0.signature = head.signature.data
            }
        })
    }
}
