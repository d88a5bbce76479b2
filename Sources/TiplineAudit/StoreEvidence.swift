import Foundation
import GRDB
import TiplineStore

/// What the server's database holds, read in one read-only transaction.
///
/// The file is opened with `readonly` and no migration ever runs, so the
/// auditor cannot change the evidence it judges: it may be a copy, or the
/// live WAL database of a running server (a read-only connection shares the
/// live `-wal` and `-shm` files). `TipStore(path:)` is never used here,
/// because it migrates and, given a key, signs.
///
/// The file may be hostile, so a value of the wrong type is read as one that
/// fails its check (an empty blob, a sequence of 0, a version of -1), never
/// trusted and never a crash.
struct StoreEvidence: Sendable {
    /// In audit order.
    let tips: [StoredTip]
    /// In audit order.
    let events: [StoredEvent]
    /// In version order.
    let bundles: [StoredBundle]
    /// Receiving-key statements as stored (unverified), in publication order;
    /// none for a store from before receiving keys.
    let receivingKeys: [[UInt8]]
    let audit: AuditSnapshot

    static func read(path: String) throws(StoreUnreadable) -> StoreEvidence {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreUnreadable(description: "\(path) does not exist") }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "tipline-audit"
        let queue: DatabaseQueue
        do { queue = try DatabaseQueue(path: path, configuration: configuration) } catch {
            throw StoreUnreadable(description: "cannot open \(path) read-only: \(error)")
        }
        defer { try? queue.close() }
        do {
            return try queue.read { db in
                for table in ["tip", "event", "bundle", "attachment", "audit"] where try !db.tableExists(table) {
                    throw StoreUnreadable(description: "\(path) is not a Tipline store (it has no \(table) table)")
                }
                let tips = try Row.fetchAll(db, sql: """
                    SELECT id, envelope, padded_length, mailbox_id, bundle_version, audit_seq, received_at FROM tip ORDER BY audit_seq
                    """).map { row in
                    StoredTip(id: bytes(row, "id"), envelope: bytes(row, "envelope"), paddedLength: integer(row, "padded_length") ?? -1,
                              mailboxId: bytes(row, "mailbox_id"), bundleVersion: integer(row, "bundle_version") ?? -1,
                              auditSequence: sequence(row, "audit_seq"), receivedAt: sequence(row, "received_at"))
                }
                let events = try Row.fetchAll(db, sql: "SELECT seq, tip_id, kind, envelope FROM event ORDER BY seq").map { row in
                    StoredEvent(sequence: sequence(row, "seq"), tipId: bytes(row, "tip_id"), kind: integer(row, "kind") ?? -1,
                                envelope: bytes(row, "envelope"))
                }
                let bundles = try Row.fetchAll(db, sql: "SELECT version, bundle_id, signed_bundle, audit_seq FROM bundle ORDER BY version")
                    .map { row in
                        StoredBundle(version: integer(row, "version") ?? -1, id: bytes(row, "bundle_id"),
                                     signed: bytes(row, "signed_bundle"), auditSequence: sequence(row, "audit_seq"))
                    }
                let receivingKeys = try db.tableExists("receiving_key")
                    ? try Row.fetchAll(db, sql: "SELECT statement FROM receiving_key ORDER BY audit_seq").map { bytes($0, "statement") }
                    : []
                return StoreEvidence(tips: tips, events: events, bundles: bundles, receivingKeys: receivingKeys,
                                     audit: try AuditSnapshot.read(db))
            }
        } catch let error as StoreUnreadable {
            throw error
        } catch {
            throw StoreUnreadable(description: "cannot read \(path): \(error)")
        }
    }

    private static func integer(_ row: Row, _ column: String) -> Int64? {
        let value: DatabaseValue = row[column]
        guard case .int64(let n) = value.storage else { return nil }
        return n
    }

    private static func sequence(_ row: Row, _ column: String) -> UInt64 {
        integer(row, column).flatMap(UInt64.init(exactly:)) ?? 0
    }

    private static func bytes(_ row: Row, _ column: String) -> [UInt8] {
        let value: DatabaseValue = row[column]
        guard case .blob(let data) = value.storage else { return [] }
        return Array(data)
    }
}
