import TiplineCrypto

/// One link of the audit chain (PROTOCOL.md §15):
///
///     entry_hash = H_32("tipline/v1/audit-entry",
///                       u64(seq) || u64(time) || u8(kind) || short(subject) || short(actor)
///                       || payload_hash (32) || previous_hash (32))
///
/// The first entry's `previous_hash` is 32 zero bytes. Changing, deleting or
/// reordering any entry breaks a hash or a link after it.
public struct AuditEntry: Sendable, Equatable {
    public static let entryLabel = "tipline/v1/audit-entry"
    public static let payloadLabel = "tipline/v1/audit-payload"
    public static let genesis = [UInt8](repeating: 0, count: 32)

    public let sequence: UInt64
    public let time: UInt64
    public let kind: AuditKind
    /// The record it concerns: a tip id, an attachment id, a bundle id.
    public let subject: [UInt8]
    /// The key id of the responder who acted; empty for anonymous actions.
    public let actor: [UInt8]
    /// `H_32("tipline/v1/audit-payload", record)` of the stored record.
    public let payloadHash: [UInt8]
    public let previousHash: [UInt8]
    public let entryHash: [UInt8]

    public init(sequence: UInt64, time: UInt64, kind: AuditKind, subject: [UInt8], actor: [UInt8],
                payloadHash: [UInt8], previousHash: [UInt8]) {
        self.init(stored: sequence, time: time, kind: kind, subject: subject, actor: actor, payloadHash: payloadHash,
                  previousHash: previousHash,
                  entryHash: Self.hash(sequence: sequence, time: time, kind: kind.rawValue, subject: subject, actor: actor,
                                       payloadHash: payloadHash, previousHash: previousHash))
    }

    /// An entry as read back from storage, with the hash it was stored with.
    public init(stored sequence: UInt64, time: UInt64, kind: AuditKind, subject: [UInt8], actor: [UInt8],
                payloadHash: [UInt8], previousHash: [UInt8], entryHash: [UInt8]) {
        self.sequence = sequence
        self.time = time
        self.kind = kind
        self.subject = subject
        self.actor = actor
        self.payloadHash = payloadHash
        self.previousHash = previousHash
        self.entryHash = entryHash
    }

    public static func hash(sequence: UInt64, time: UInt64, kind: UInt8, subject: [UInt8], actor: [UInt8],
                            payloadHash: [UInt8], previousHash: [UInt8]) -> [UInt8] {
        var w = ByteWriter(capacity: 128)
        w.write(sequence)
        w.write(time)
        w.write(kind)
        w.writeShortString(subject)
        w.writeShortString(actor)
        w.write(payloadHash)
        w.write(previousHash)
        return DomainHash.hash(entryLabel, w.bytes)
    }

    /// The hash an audit entry records for a stored record's bytes.
    public static func payloadHash(of record: [UInt8]) -> [UInt8] {
        DomainHash.hash(payloadLabel, record)
    }
}
