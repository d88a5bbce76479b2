/// A stored record that the audit chain vouches for: the bytes an entry's
/// `payload_hash` covers (PROTOCOL.md §15), with what that entry must say.
public struct AuditedRecord: Sendable, Equatable {
    /// The table the record lives in.
    public enum Table: String, Sendable {
        case tip, event, bundle, attachment
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
    /// The envelope of a tip or event, the signed bundle, the attachment stream's hash.
    public let bytes: [UInt8]

    public init(table: Table, subject: [UInt8], sequence: UInt64, kind: UInt8, bytes: [UInt8]) {
        self.table = table
        self.subject = subject
        self.sequence = sequence
        self.kind = kind
        self.bytes = bytes
    }
}
