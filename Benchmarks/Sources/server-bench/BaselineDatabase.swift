import Foundation
import GRDB
import TiplineCrypto

/// A bare SQLite database for the baselines, opened as TipStore opens its
/// own: a GRDB `DatabasePool` (WAL), `synchronous = FULL` so that a commit
/// returns only after the WAL is fsynced, and `secure_delete = ON`.
///
/// One difference, on purpose: GRDB's `DatabasePool` runs
/// `PRAGMA synchronous = NORMAL` on its writer connection when it switches
/// the file to WAL, which is *after* `prepareDatabase` has set FULL. Left so,
/// a commit would not fsync at all (in WAL mode NORMAL syncs only at
/// checkpoints) and the baselines would not be what they claim. So FULL is
/// set again on the writer, which lives as long as the pool, and read back
/// for the report. TipStore does not do this (see README.md).
///
/// Its one table keeps
/// the tip table's shape where it matters for the write: a 16-byte random
/// blob primary key (so an index insert at a random place, as for tips), the
/// envelope blob, and four integers.
///
/// What it leaves out is the server's own work per row: the audit entry (a
/// read of the last entry, two hashes and a second insert), the mailbox id
/// and key columns and the mailbox index.
final class BaselineDatabase: Sendable {
    let pool: DatabasePool

    init(path: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        try pool.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS tip (
                    id BLOB PRIMARY KEY NOT NULL,
                    envelope BLOB NOT NULL,
                    padded_length INTEGER NOT NULL,
                    received_at INTEGER NOT NULL,
                    bundle_version INTEGER NOT NULL,
                    attachment_slots INTEGER NOT NULL)
                """)
        }
    }

    /// Inserts one row inside the caller's transaction, with a fresh random
    /// id as the store makes one for each tip.
    static func insert(_ db: Database, envelope: [UInt8], paddedLength: Int, now: Int64) throws {
        try db.execute(sql: """
            INSERT INTO tip (id, envelope, padded_length, received_at, bundle_version, attachment_slots)
            VALUES (?, ?, ?, ?, 1, 0)
            """, arguments: [Data(SystemRandom().bytes(16)), Data(envelope), paddedLength, now])
    }

    /// The journal mode and synchronous level of the writer connection, as
    /// SQLite reports them, to show that WAL and FULL are really in force.
    func writerSettings() throws -> (journalMode: String, synchronous: String) {
        try pool.writeWithoutTransaction { db in
            let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "?"
            let level = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
            return (mode, [0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"][level] ?? "\(level)")
        }
    }
}
