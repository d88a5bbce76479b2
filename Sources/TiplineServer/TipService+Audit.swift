import TiplineCrypto
import TiplineProto
import TiplineRPC
import TiplineStore

extension TipService {
    /// The context of the server's signature on the audit head.
    public static let auditHeadContext = "tipline/v1/audit-head"

    /// `u64(seq) || head_hash || u64(time)`, the bytes the head signature covers.
    public static func auditHeadBytes(sequence: UInt64, headHash: [UInt8], time: UInt64) -> [UInt8] {
        var w = ByteWriter()
        w.write(sequence)
        w.write(headHash)
        w.write(time)
        return w.bytes
    }

    func registerAuditMethods(_ table: inout MethodTable) {
        // Public: entries hold only ids, hashes, coarse times and responder
        // key ids that the public bundle lists anyway.
        table.register(TiplineMethod.getAuditLog,
                       .serverStreaming(Tipline_V1_GetAuditLogRequest.self, Tipline_V1_AuditEntry.self) { request, writer, _ in
            var cursor = request.afterSequence
            while true {
                let page = try self.store.auditEntries(after: cursor, limit: 1000)
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
        table.register(TiplineMethod.getAuditHead, .unary(Tipline_V1_GetAuditHeadRequest.self, Tipline_V1_SignedAuditHead.self) { _, _ in
            let head = try self.store.lastAuditEntry()
            let sequence = head?.sequence ?? 0
            let hash = head?.entryHash ?? AuditEntry.genesis
            let time = self.store.coarse(self.clock())
            let signature = self.identity.sign(Self.auditHeadBytes(sequence: sequence, headHash: hash, time: time),
                                               context: Self.auditHeadContext)
            return .with {
                $0.sequence = sequence
                $0.headHash = hash.data
                $0.time = time
                $0.signature = signature.data
            }
        })
    }
}
