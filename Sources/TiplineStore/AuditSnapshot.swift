import Foundation
import GRDB
import TiplineCrypto

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
        for row in try Row.fetchAll(db, sql: "SELECT * FROM tip") { records.append(tipRecord(row)) }
        for row in try Row.fetchAll(db, sql: "SELECT * FROM event") {
            var defects: [String] = []
            let time = unsigned(row, "received_at", else: &defects)
            records.append(AuditedRecord(table: .event, subject: bytes(row, "tip_id"), sequence: unsigned(row, "seq"),
                                         kind: integer(row, "kind").flatMap(UInt8.init(exactly:)) ?? 0,
                                         payloadHash: AuditEntry.payloadHash(of: bytes(row, "envelope")), time: time,
                                         actor: bytes(row, "actor"), defects: defects))
        }
        for row in try Row.fetchAll(db, sql: "SELECT * FROM bundle") { records.append(bundleRecord(row)) }
        // Stores from before receiving keys have no table; read, never create, it.
        if try db.tableExists("receiving_key") {
            for row in try Row.fetchAll(db, sql: "SELECT * FROM receiving_key") { records.append(receivingKeyRecord(row)) }
        }
        for row in try Row.fetchAll(db, sql: "SELECT * FROM attachment") { records.append(try attachmentRecord(row, db)) }
        // Stores from before signed heads have no table; read, never create, it.
        let heads = try db.tableExists("audit_head")
            ? try Row.fetchAll(db, sql: "SELECT * FROM audit_head ORDER BY seq").map { row in
                AuditHead(sequence: unsigned(row, "seq"), headHash: bytes(row, "head_hash"),
                          time: integer(row, "time").flatMap(UInt64.init(exactly:)) ?? 0, signature: bytes(row, "signature"))
            }
            : nil
        return AuditSnapshot(entries: entries, records: records, heads: heads)
    }

    /// A tip row: every column but the id and the audit sequence is in its
    /// record hash, except `received_at` (the entry's time) and `expires_at`
    /// (the newest expiry entry's payload).
    static func tipRecord(_ row: Row) -> AuditedRecord {
        var defects: [String] = []
        let envelope = bytes(row, "envelope")
        let token: [UInt8]?
        switch (row["upload_token_hash"] as DatabaseValue).storage {
        case .null: token = nil
        case .blob(let data): token = Array(data)
        default: token = []; defects.append("upload_token_hash")
        }
        let expiresAt: UInt64
        switch (row["expires_at"] as DatabaseValue).storage {
        case .null: expiresAt = 0
        case .int64(let n) where n > 0: expiresAt = UInt64(n)
        default: expiresAt = 0; defects.append("expires_at")
        }
        let hash = AuditRecord.tipHash(envelope: envelope, paddedLength: unsigned(row, "padded_length", else: &defects),
                                       mailboxId: bytes(row, "mailbox_id"), mailboxKey: bytes(row, "mailbox_key"),
                                       bundleVersion: unsigned(row, "bundle_version", else: &defects),
                                       attachmentSlots: unsigned(row, "attachment_slots", else: &defects), uploadTokenHash: token)
        return AuditedRecord(table: .tip, subject: bytes(row, "id"), sequence: unsigned(row, "audit_seq"),
                             kind: AuditKind.tipSubmitted.rawValue, payloadHash: hash,
                             legacyPayloadHash: AuditRecord.legacyTipHash(envelope: envelope),
                             time: unsigned(row, "received_at", else: &defects), expiresAt: expiresAt, defects: defects)
    }

    /// A bundle row: the signed bytes are hashed; the version and id
    /// columns, which decide which bundle is served as current, must be
    /// the ones the signed bytes carry.
    static func bundleRecord(_ row: Row) -> AuditedRecord {
        var defects: [String] = []
        let signed = bytes(row, "signed_bundle")
        let id = bytes(row, "bundle_id")
        if let parsed = try? SignedKeyBundle(parsing: signed) {
            if integer(row, "version").flatMap(UInt64.init(exactly:)) != parsed.unverifiedBundle.version { defects.append("version") }
            if id != parsed.id { defects.append("bundle_id") }
        } else {
            defects.append("signed_bundle")
        }
        return AuditedRecord(table: .bundle, subject: id, sequence: unsigned(row, "audit_seq"),
                             kind: AuditKind.bundlePublished.rawValue, payloadHash: AuditEntry.payloadHash(of: signed), defects: defects)
    }

    /// A receiving-key row: the statement is hashed; the key id, responder
    /// and window, by which the server chooses what to serve and accept,
    /// must be the ones the statement carries.
    static func receivingKeyRecord(_ row: Row) -> AuditedRecord {
        var defects: [String] = []
        let statement = bytes(row, "statement")
        let keyId = bytes(row, "key_id")
        if let parsed = try? ReceivingKeyStatement(parsing: statement) {
            if keyId != parsed.keyId.bytes { defects.append("key_id") }
            if bytes(row, "responder_id") != parsed.responderId.bytes { defects.append("responder_id") }
            if integer(row, "not_before").flatMap(UInt64.init(exactly:)) != parsed.notBefore { defects.append("not_before") }
            if integer(row, "not_after").flatMap(UInt64.init(exactly:)) != parsed.notAfter { defects.append("not_after") }
        } else {
            defects.append("statement")
        }
        return AuditedRecord(table: .receivingKey, subject: keyId, sequence: unsigned(row, "audit_seq"),
                             kind: AuditKind.receivingKeyPublished.rawValue, payloadHash: AuditEntry.payloadHash(of: statement),
                             actor: bytes(row, "responder_id"), defects: defects)
    }

    /// An attachment row, with its chunks read back one at a time: they must
    /// be numbered from 0 without a gap, add up to `encrypted_size`, and hash
    /// to `content_hash`, so that the evidence itself is checked, not only
    /// the hash recorded for it.
    static func attachmentRecord(_ row: Row, _ db: Database) throws -> AuditedRecord {
        var defects: [String] = []
        let id = bytes(row, "id"), tipId = bytes(row, "tip_id"), contentHash = bytes(row, "content_hash")
        let size = unsigned(row, "encrypted_size", else: &defects)
        let hash = StreamingHash(DomainHash.Label.attachmentStream)
        var next: Int64 = 0
        var total: UInt64 = 0
        var ordered = true
        let chunks = try Row.fetchCursor(db, sql: "SELECT idx, data FROM attachment_chunk WHERE attachment_id = ? ORDER BY idx",
                                         arguments: [Data(id)])
        while let chunk = try chunks.next() {
            guard integer(chunk, "idx") == next else { ordered = false; break }
            let value: DatabaseValue = chunk["data"]
            guard case .blob(let data) = value.storage else { ordered = false; break }
            hash.update(data)
            total &+= UInt64(data.count)
            next += 1
        }
        if !ordered || total != size || hash.finalize() != contentHash { defects.append("attachment_chunk rows") }
        return AuditedRecord(table: .attachment, subject: id, sequence: unsigned(row, "audit_seq"),
                             kind: AuditKind.attachmentStored.rawValue,
                             payloadHash: AuditRecord.attachmentHash(contentHash: contentHash, tipId: tipId, encryptedSize: size),
                             legacyPayloadHash: AuditRecord.legacyAttachmentHash(contentHash: contentHash), defects: defects)
    }

    /// A non-negative integer column; 0, with the column named in
    /// `defects`, when it holds anything else.
    static func unsigned(_ row: Row, _ column: String, else defects: inout [String]) -> UInt64 {
        guard let value = integer(row, column).flatMap(UInt64.init(exactly:)) else {
            defects.append(column)
            return 0
        }
        return value
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
    /// table order:
    /// - a record whose columns do not hash to its entry's payload hash
    ///   (`recordAltered`);
    /// - a record with no entry of its own, that is no entry at its sequence
    ///   with its kind and subject (`recordWithoutEntry`);
    /// - a column that repeats its entry (time, actor) or another record
    ///   (an expiry, a bundle's version, an attachment's chunks) and differs
    ///   (`columnAltered`);
    /// - an entry whose record is gone with no purge to account for it
    ///   (`entryWithoutRecord`), because deleting a record must be as visible
    ///   as changing one.
    public func recordProblems() -> [AuditRecordProblem] {
        var problems: [AuditRecordProblem] = []
        let bySequence = Dictionary(entries.map { ($0.sequence, $0) }, uniquingKeysWith: { a, _ in a })
        // The newest expiry entry of each tip: its payload is the tip's expiry.
        let expiries = Dictionary(entries.filter { $0.kind == .expirySet }.map { ($0.subject, $0.payloadHash) },
                                  uniquingKeysWith: { _, newer in newer })
        for record in records {
            guard let entry = bySequence[record.sequence], entry.kind.rawValue == record.kind, entry.subject == record.subject else {
                problems.append(AuditRecordProblem(.recordWithoutEntry(subject: record.subject), record: record))
                continue
            }
            if entry.payloadHash != record.payloadHash && entry.payloadHash != record.legacyPayloadHash {
                problems.append(AuditRecordProblem(.recordAltered(sequence: record.sequence), record: record))
            }
            var altered = record.defects
            if let time = record.time, time != entry.time { altered.append("received_at") }
            if let actor = record.actor, actor != entry.actor { altered.append("actor") }
            if let expiresAt = record.expiresAt,
               AuditRecord.expiryHash(expiresAt) != expiries[record.subject] ?? AuditRecord.expiryHash(0) {
                altered.append("expires_at")
            }
            for column in altered {
                problems.append(AuditRecordProblem(.columnAltered(sequence: record.sequence, column: column), record: record))
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
            case .bundlePublished, .receivingKeyPublished: false
            case .expirySet, .purge: true
            }
            if !accounted { problems.append(AuditRecordProblem(.entryWithoutRecord(sequence: entry.sequence), record: nil)) }
        }
        return problems
    }

    /// Records whose entry has the version-1 payload hash (PROTOCOL.md
    /// §15.1): written before every column was bound, so that only their
    /// envelope (a tip) or content hash (an attachment) is covered.
    public func legacyRecords() -> [AuditedRecord] {
        let bySequence = Dictionary(entries.map { ($0.sequence, $0) }, uniquingKeysWith: { a, _ in a })
        return records.filter { record in
            guard let legacy = record.legacyPayloadHash, let entry = bySequence[record.sequence] else { return false }
            return entry.payloadHash == legacy && entry.payloadHash != record.payloadHash
        }
    }
}
