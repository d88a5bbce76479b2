import Foundation
import GRDB

/// The audit chain, the records it covers and the signed heads, read in one
/// transaction from any `Database`: the store's own pool, or an auditor's
/// read-only connection to a copy. Reading runs no migration and writes nothing.
public struct AuditSnapshot: Sendable {
    public let entries: [AuditEntry]
    public let records: [AuditedRecord]
    /// The signed heads, oldest first; `nil` for a store from before heads
    /// were kept (no `audit_head` table).
    public let heads: [AuditHead]?

    public init(entries: [AuditEntry], records: [AuditedRecord], heads: [AuditHead]?) {
        self.entries = entries
        self.records = records
        self.heads = heads
    }

    /// Reads everything the audit covers. Call it inside one read
    /// transaction so that entries and records are from the same moment.
    ///
    /// The file may be hostile (an auditor reads a copy someone handed
    /// over), so no value is trusted to have its declared type: a row that
    /// does not decode is kept in a form that fails verification, never
    /// dropped and never a crash.
    public static func read(_ db: Database) throws -> AuditSnapshot {
        let entries = try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY seq").map { row in
            let sequence = unsigned(row, "seq")
            guard let time = integer(row, "time").flatMap(UInt64.init(exactly:)),
                  let kind = integer(row, "kind").flatMap(UInt8.init(exactly:)).flatMap(AuditKind.init(rawValue:))
            else {
                // Altered beyond decoding: keep its place, with hashes that can only fail.
                return AuditEntry(stored: sequence, time: 0, kind: .purge, subject: [], actor: [],
                                  payloadHash: [], previousHash: [], entryHash: [])
            }
            return AuditEntry(stored: sequence, time: time, kind: kind, subject: bytes(row, "subject"), actor: bytes(row, "actor"),
                              payloadHash: bytes(row, "payload_hash"), previousHash: bytes(row, "previous_hash"),
                              entryHash: bytes(row, "entry_hash"))
        }
        var records: [AuditedRecord] = []
        for row in try Row.fetchAll(db, sql: "SELECT audit_seq, id, envelope FROM tip") {
            records.append(AuditedRecord(table: .tip, subject: bytes(row, "id"), sequence: unsigned(row, "audit_seq"),
                                         kind: AuditKind.tipSubmitted.rawValue, bytes: bytes(row, "envelope")))
        }
        for row in try Row.fetchAll(db, sql: "SELECT seq, tip_id, kind, envelope FROM event") {
            records.append(AuditedRecord(table: .event, subject: bytes(row, "tip_id"), sequence: unsigned(row, "seq"),
                                         kind: integer(row, "kind").flatMap(UInt8.init(exactly:)) ?? 0, bytes: bytes(row, "envelope")))
        }
        for row in try Row.fetchAll(db, sql: "SELECT audit_seq, bundle_id, signed_bundle FROM bundle") {
            records.append(AuditedRecord(table: .bundle, subject: bytes(row, "bundle_id"), sequence: unsigned(row, "audit_seq"),
                                         kind: AuditKind.bundlePublished.rawValue, bytes: bytes(row, "signed_bundle")))
        }
        for row in try Row.fetchAll(db, sql: "SELECT audit_seq, id, content_hash FROM attachment") {
            records.append(AuditedRecord(table: .attachment, subject: bytes(row, "id"), sequence: unsigned(row, "audit_seq"),
                                         kind: AuditKind.attachmentStored.rawValue, bytes: bytes(row, "content_hash")))
        }
        // Stores from before signed heads have no table; read, never create, it.
        let heads = try db.tableExists("audit_head")
            ? try Row.fetchAll(db, sql: "SELECT * FROM audit_head ORDER BY seq").map { row in
                AuditHead(sequence: unsigned(row, "seq"), headHash: bytes(row, "head_hash"),
                          time: integer(row, "time").flatMap(UInt64.init(exactly:)) ?? 0, signature: bytes(row, "signature"))
            }
            : nil
        return AuditSnapshot(entries: entries, records: records, heads: heads)
    }

    /// An integer column, or `nil` when it holds anything else.
    static func integer(_ row: Row, _ column: String) -> Int64? {
        let value: DatabaseValue = row[column]
        guard case .int64(let n) = value.storage else { return nil }
        return n
    }

    /// A sequence number; 0, which no entry has, when the column is not one.
    static func unsigned(_ row: Row, _ column: String) -> UInt64 {
        integer(row, column).flatMap(UInt64.init(exactly:)) ?? 0
    }

    /// A blob column; empty when it holds anything else.
    static func bytes(_ row: Row, _ column: String) -> [UInt8] {
        let value: DatabaseValue = row[column]
        guard case .blob(let data) = value.storage else { return [] }
        return Array(data)
    }

    /// Every disagreement between records and entries, records first in
    /// table order: a record whose bytes do not hash to its entry's payload
    /// hash (`recordAltered`); a record with no entry of its own, that is no
    /// entry at its sequence with its kind and subject (`recordWithoutEntry`);
    /// and an entry whose record is gone with no purge to account for it
    /// (`entryWithoutRecord`), because deleting a record must be as visible
    /// as changing one.
    public func recordProblems() -> [AuditRecordProblem] {
        var problems: [AuditRecordProblem] = []
        let bySequence = Dictionary(entries.map { ($0.sequence, $0) }, uniquingKeysWith: { a, _ in a })
        for record in records {
            guard let entry = bySequence[record.sequence], entry.kind.rawValue == record.kind, entry.subject == record.subject else {
                problems.append(AuditRecordProblem(.recordWithoutEntry(subject: record.subject), record: record))
                continue
            }
            if entry.payloadHash != AuditEntry.payloadHash(of: record.bytes) {
                problems.append(AuditRecordProblem(.recordAltered(sequence: record.sequence), record: record))
            }
        }
        let recorded = Set(records.map(\.sequence))
        // A purge deletes the tip with its events and attachments; its entry
        // names the tip, so those records may go. An attachment's entry does
        // not name its tip, so any later purge may account for it.
        let purged = Set(entries.filter { $0.kind == .purge }.map(\.subject))
        let lastPurge = entries.last { $0.kind == .purge }?.sequence ?? 0
        for entry in entries where !recorded.contains(entry.sequence) {
            let accounted: Bool = switch entry.kind {
            case .tipSubmitted, .triageEvent, .reply, .followUp: purged.contains(entry.subject)
            case .attachmentStored: lastPurge > entry.sequence
            case .bundlePublished: false
            case .expirySet, .purge: true
            }
            if !accounted { problems.append(AuditRecordProblem(.entryWithoutRecord(sequence: entry.sequence), record: nil)) }
        }
        return problems
    }
}
