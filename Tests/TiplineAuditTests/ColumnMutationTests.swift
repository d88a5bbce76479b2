import Foundation
import GRDB
import Testing
import TiplineAudit
import TiplineCrypto
import TiplineStore

/// Issue 13 item 1: every column of every table, in every row, changed one
/// at a time in a copy of the database, as someone with the disk would
/// (foreign keys off, no trigger help): `tipline audit --db` must fail each
/// time and name the record. The tables and columns are read from the
/// schema, so a column added later is covered, or the test fails until it
/// is listed below with its reason (and in SECURITY.md §1.6).
@Suite(.serialized) struct ColumnMutationTests {
    /// Tables whose contents carry no authority and no evidence, each with
    /// its reason; SECURITY.md §1.6 lists the same.
    static let leftOut: [String: String] = [
        // GRDB's record of which migrations ran: schema bookkeeping.
        "grdb_migrations": "schema bookkeeping",
        // Uploads in progress: a slot taken for an upload that has not
        // completed. Nothing is stored as evidence until the upload completes
        // with an audit entry; every row goes at the next start or sweep.
        "upload": "uploads in progress, swept at start-up",
        // Replay memory: spent challenges and request nonces, each kept only
        // until it could no longer be accepted. It names no tip and no
        // author; deleting a row can only make a captured request good again
        // within its 300 s window, which someone with the disk does not need.
        "spent_token": "replay memory, kept only while a token could be accepted",
    ]

    /// A value that differs from `value` and keeps the column's type.
    static func flipped(_ value: DatabaseValue, bump: Int64) -> DatabaseValue {
        switch value.storage {
        case .null: 1.databaseValue
        case .int64(let n): (n &+ bump).databaseValue
        case .double(let d): (d + 1).databaseValue
        case .string(let s): (s + "x").databaseValue
        case .blob(let data):
            if data.isEmpty { Data([0]).databaseValue } else {
                { var d = data; d[d.count - 1] ^= 0x01; return d.databaseValue }()
            }
        }
    }

    @Test func everyColumnOfEveryTableIsBoundAndNamed() async throws {
        let f = try await AuditFixture()
        defer { Task { await f.tearDown() } }
        let history = try await f.makeHistory()
        // An expiry that stays, so that expires_at holds a value to change.
        _ = try await f.client.setExpiry(tipId: history.secondTip, expiresAt: f.clock.read() + 86_400 * 90, as: f.alice.sign)
        let pristine = try f.copyDatabase("pristine.sqlite")
        let clean = try await f.audit(database: pristine)
        #expect(clean.passed, "\(clean.checks.filter { $0.status == .fail }.map(\.detail))")

        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        let schema = try DatabaseQueue(path: pristine, configuration: configuration)
        let tables = try await schema.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        }
        var mutated: Set<String> = []
        var columns: Set<String> = []
        var count = 0
        for table in tables where Self.leftOut[table] == nil {
            let (rows, names) = try schema.read { db in
                (try Row.fetchAll(db, sql: "SELECT rowid AS tl_rowid, * FROM \(table)"), try db.columns(in: table).map(\.name))
            }
            for name in names { columns.insert("\(table).\(name)") }
            for row in rows {
                let rowid: Int64 = row["tl_rowid"]
                for name in names {
                    let copy = f.directory + "/mutant.sqlite"
                    try? FileManager.default.removeItem(atPath: copy)
                    try FileManager.default.copyItem(atPath: pristine, toPath: copy)
                    let original: DatabaseValue = row[name]
                    // A change that collides with a unique key is retried further away.
                    var applied: DatabaseValue?
                    let queue = try DatabaseQueue(path: copy, configuration: configuration)
                    for bump: Int64 in [1, 1_000_003] {
                        let value = Self.flipped(original, bump: bump)
                        do {
                            try await queue.write { db in
                                try db.execute(sql: "UPDATE \(table) SET \(name) = ? WHERE rowid = ?", arguments: [value, rowid])
                            }
                            applied = value
                            break
                        } catch {}
                    }
                    try queue.close()
                    let change = "\(table).\(name) of row \(rowid)"
                    guard let applied else {
                        Issue.record("\(change) could not be changed")
                        continue
                    }
                    let report = try await f.audit(database: copy)
                    let failures = report.checks.filter { $0.status == .fail }.map(\.detail).joined(separator: "\n")
                    #expect(!report.passed, "\(change) went unseen")
                    let names = Self.names(table: table, row: row, column: name, applied: applied)
                    #expect(names.contains { failures.contains($0) }, "\(change): the failures do not name \(names): \(failures)")
                    mutated.insert("\(table).\(name)")
                    count += 1
                }
            }
        }
        // Every column of every table that is not left out was changed at least once.
        #expect(mutated == columns, "never changed: \(columns.subtracting(mutated).sorted())")
        #expect(Set(tables).isSuperset(of: Self.leftOut.keys), "left out but not in the schema: \(Set(Self.leftOut.keys).subtracting(tables))")
        #expect(count > 150, "only \(count) changes")
        print("column mutations: \(count) changes across \(columns.count) columns of \(tables.count - Self.leftOut.count) tables; each failed the audit and named its record")
    }

    /// What a failure must say to name the changed record: its audit entry
    /// (the row's own or, when the key itself changed, the changed one),
    /// an attachment's id for its chunks, a head's sequence.
    static func names(table: String, row: Row, column: String, applied: DatabaseValue) -> [String] {
        func sequences(_ key: String) -> [String] {
            var values: [Int64] = [row[key]]
            if column == key, case .int64(let n) = applied.storage { values.append(n) }
            return values.map { "audit entry \($0)" }
        }
        switch table {
        case "tip", "bundle", "attachment", "receiving_key": return sequences("audit_seq")
        case "event", "audit": return sequences("seq")
        case "audit_head":
            var values: [Int64] = [row["seq"]]
            if column == "seq", case .int64(let n) = applied.storage { values.append(n) }
            return values.map { "head at \($0)" } + values.map { "entry \($0)" }
        case "attachment_chunk": return ["attachment \(Hex.encode(Array(row["attachment_id"] as Data)))"]
        default: return ["\(table)"]
        }
    }
}
