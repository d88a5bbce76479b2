/// A stored record that the audit chain vouches for, as read from its row:
/// the payload hash its columns give (PROTOCOL.md §15.1), what its entry
/// must say, and what its row repeats of the entry.
public struct AuditedRecord: Sendable, Equatable {
    /// The table the record lives in.
    public enum Table: String, Sendable {
        case tip, event, bundle, attachment
        case receivingKey = "receiving_key"
    }

    public let table: Table
    /// The subject its entry must name: the tip id (for a tip and for each of
    /// its events), the bundle id, the attachment id.
    public let subject: [UInt8]
    /// The sequence number of its entry (`audit_seq`; an event's own `seq`).
    public let sequence: UInt64
    /// The kind its entry must have (raw, because an altered event row may
    /// carry a kind that is not an ``AuditKind`` at all).
    public let kind: UInt8
    /// The payload hash the row's columns give (``AuditRecord``).
    public let payloadHash: [UInt8]
    /// The payload hash version 1 wrote for such a row, when it differs
    /// (a tip's envelope only, an attachment's content hash only).
    public let legacyPayloadHash: [UInt8]?
    /// The row's `received_at`, which must be its entry's time; `nil` for
    /// tables without one.
    public let time: UInt64?
    /// The row's `actor`, which must be its entry's actor; `nil` for tables without one.
    public let actor: [UInt8]?
    /// A tip's `expires_at` (0 for none): the newest expiry entry for the
    /// tip must have recorded it, or, with no such entry, it must be 0.
    public let expiresAt: UInt64?
    /// Columns that disagree with the rest of the record however the chain
    /// reads (a bundle's version against its signed bytes, an attachment's
    /// chunks against its content hash), or that hold a value of the wrong type.
    public let defects: [String]

    public init(table: Table, subject: [UInt8], sequence: UInt64, kind: UInt8, payloadHash: [UInt8],
                legacyPayloadHash: [UInt8]? = nil, time: UInt64? = nil, actor: [UInt8]? = nil, expiresAt: UInt64? = nil,
                defects: [String] = []) {
        self.table = table
        self.subject = subject
        self.sequence = sequence
        self.kind = kind
        self.payloadHash = payloadHash
        self.legacyPayloadHash = legacyPayloadHash
        self.time = time
        self.actor = actor
        self.expiresAt = expiresAt
        self.defects = defects
    }
}
