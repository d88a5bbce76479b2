import Foundation
import GRDB
import TiplineCrypto
import TiplineProto

/// The responder's local copy of the inbox: sealed items exactly as the
/// server sent them, so each sync fetches only what is new (the cursor is
/// the last item's sequence number) and decryption needs no network. Nothing
/// here is plaintext. It also remembers the newest bundle accepted, so a
/// server cannot roll the responder back to an older recipient set.
public final class InboxCache: Sendable {
    let queue: DatabaseQueue

    public init(path: String) throws {
        // A bare file name (`--cache inbox.cache`) lives in the current
        // directory, which exists; asking Foundation to create "" fails.
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA secure_delete = ON") }
        queue = try DatabaseQueue(path: path, configuration: configuration)
        chmod(path, 0o600)
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS item (seq INTEGER PRIMARY KEY, tip_id BLOB, bytes BLOB NOT NULL);
                CREATE INDEX IF NOT EXISTS item_tip ON item(tip_id);
                CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS archive (seq INTEGER PRIMARY KEY, sealed BLOB NOT NULL);
                """)
        }
    }

    /// The default location: `$XDG_CACHE_HOME/tipline` (or `~/.cache/tipline`),
    /// one file per server and responder key.
    public static func defaultPath(server: String, responder: KeyId) -> String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".cache")
        let name = Hex.encode(DomainHash.hash("tipline/v1/client/cache-name", outputLength: 16,
                                              Array(server.utf8) + responder.bytes))
        return ((base as NSString).appendingPathComponent("tipline") as NSString).appendingPathComponent("\(name).sqlite")
    }

    public func cursor() throws -> UInt64 {
        try queue.read { db in UInt64(clamping: try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM item") ?? 0) }
    }

    /// Stores a page of items; a purge marker deletes the purged tip's cached items.
    public func store(_ items: [Tipline_V1_InboxItem]) throws {
        // A hostile server's sequence numbers are checked before any is
        // converted for SQLite, and before anything is written.
        guard items.allSatisfy({ $0.sequence <= UInt64(Int64.max) }) else {
            throw ResponderError.badServerAnswer("an inbox sequence number over \(Int64.max)")
        }
        try queue.write { db in
            for item in items {
                let tipId: Data? = switch item.item {
                case .tip(let tip): tip.tipID
                case .event(let event): event.tipID
                case .attachment(let attachment): attachment.tipID
                case .purgedTipID(let id): id
                case nil: nil
                }
                if case .purgedTipID(let id)? = item.item {
                    // The purged case's archived content keys go with it (issue 15).
                    try db.execute(sql: "DELETE FROM archive WHERE seq IN (SELECT seq FROM item WHERE tip_id = ?)", arguments: [id])
                    try db.execute(sql: "DELETE FROM item WHERE tip_id = ?", arguments: [id])
                }
                try db.execute(sql: "INSERT OR REPLACE INTO item (seq, tip_id, bytes) VALUES (?, ?, ?)",
                               arguments: [Int64(clamping: item.sequence), tipId, try item.serializedData()])
            }
        }
    }

    /// Every cached item, in sequence order.
    public func items() throws -> [Tipline_V1_InboxItem] {
        try queue.read { db in
            try Data.fetchAll(db, sql: "SELECT bytes FROM item ORDER BY seq").map { try Tipline_V1_InboxItem(serializedBytes: $0) }
        }
    }

    /// The case archive (PROTOCOL.md §3.6): each item's content key sealed
    /// under the keystore's archive key, by sequence number.
    public func archived() throws -> [UInt64: [UInt8]] {
        try queue.read { db in
            var archived: [UInt64: [UInt8]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT seq, sealed FROM archive") {
                archived[UInt64(clamping: row["seq"] as Int64)] = Array(row["sealed"] as Data)
            }
            return archived
        }
    }

    /// Adds content keys to the archive; an item already there keeps its entry.
    public func archive(_ entries: [(sequence: UInt64, sealed: [UInt8])]) throws {
        guard !entries.isEmpty else { return }
        try queue.write { db in
            for entry in entries {
                try db.execute(sql: "INSERT OR IGNORE INTO archive (seq, sealed) VALUES (?, ?)",
                               arguments: [Int64(clamping: entry.sequence), Data(entry.sealed)])
            }
        }
    }

    /// When the last sync that read the whole inbox to its end began: every
    /// envelope stored before that moment is in the cache (§3.6).
    public func lastCompleteSyncStart() throws -> UInt64? {
        try queue.read { db in
            try Data.fetchOne(db, sql: "SELECT value FROM state WHERE key = 'synced-from'").flatMap {
                $0.count == 8 ? $0.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } : nil
            }
        }
    }

    public func rememberCompleteSync(startedAt: UInt64) throws {
        let bytes = (0..<8).map { UInt8(truncatingIfNeeded: startedAt >> (56 - 8 * UInt64($0))) }
        try queue.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO state (key, value) VALUES ('synced-from', ?)", arguments: [Data(bytes)])
        }
    }

    public func lastSeenBundle() throws -> SeenBundle? {
        try queue.read { db in
            guard let data = try Data.fetchOne(db, sql: "SELECT value FROM state WHERE key = 'bundle'") else { return nil }
            return try JSONDecoder().decode(SeenBundle.self, from: data)
        }
    }

    /// The newest signed audit head this cache verified, if any.
    public func lastHead() throws -> KnownHead? {
        try queue.read { db in
            guard let data = try Data.fetchOne(db, sql: "SELECT value FROM state WHERE key = 'head'") else { return nil }
            return try? JSONDecoder().decode(KnownHead.self, from: data)
        }
    }

    /// Remembers a verified head; the memory only moves forward.
    public func remember(_ head: KnownHead) throws {
        if let known = try lastHead(), known.sequence >= head.sequence { return }
        let data = try JSONEncoder().encode(head)
        try queue.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO state (key, value) VALUES ('head', ?)", arguments: [data])
        }
    }

    public func remember(_ seen: SeenBundle) throws {
        let data = try JSONEncoder().encode(seen)
        try queue.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO state (key, value) VALUES ('bundle', ?)", arguments: [data])
        }
    }
}
