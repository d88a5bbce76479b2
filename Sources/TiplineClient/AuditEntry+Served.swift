import TiplineProto
import TiplineStore

extension AuditEntry {
    /// An entry as a server served it (GetAuditLog). An entry of a kind this
    /// client does not know keeps its place with empty hashes, so that a
    /// chain check fails there rather than skipping it.
    public init(served e: Tipline_V1_AuditEntry) {
        guard let kind = Self.kind(served: e) else {
            self.init(stored: e.sequence, time: e.time, kind: .purge, subject: [], actor: [], payloadHash: [], previousHash: [],
                      entryHash: [])
            return
        }
        self.init(stored: e.sequence, time: e.time, kind: kind, subject: Array(e.subject), actor: Array(e.actorKeyID),
                  payloadHash: Array(e.payloadHash), previousHash: Array(e.previousHash), entryHash: Array(e.entryHash))
    }

    /// The served entry's kind, or `nil` when it is not one this client knows.
    public static func kind(served e: Tipline_V1_AuditEntry) -> AuditKind? {
        UInt8(exactly: e.kind).flatMap(AuditKind.init(rawValue:))
    }
}
