import Foundation
import GRDB
import TiplineCrypto

/// The sealed store: SQLite through GRDB in WAL mode with
/// `synchronous = FULL` (an acknowledged write survives power loss),
/// `secure_delete = ON` (deleted records are overwritten) and foreign keys.
/// Every state change appends to the audit chain in the same transaction.
public final class TipStore: Sendable {
    let pool: DatabasePool
    let writer: GroupCommitWriter
    /// Server times are rounded down to this many seconds, so that they
    /// cannot single out a tipster by the moment they wrote.
    public let timeGranularity: UInt64

    /// - Parameter headKey: the server's identity key. With it, every commit
    ///   that appends to the audit chain also stores the new head signed
    ///   (``AuditHead``); a store opened only to read or verify passes `nil`.
    public init(path: String, timeGranularity: UInt64 = 3600, headKey: SigningKeyPair? = nil) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA secure_delete = ON")
            // After a checkpoint the WAL is cut back to 64 MiB, so that one
            // large upload does not leave a WAL as large as itself behind.
            try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
        }
        let migrator = StoreSchema.migrator()
        let keptHeadsBefore: Bool
        do {
            try Self.restrictFiles(of: path)
            pool = try DatabasePool(path: path, configuration: configuration)
            // SQLite gives the -wal and -shm files the database file's mode,
            // but files left by an older version may be looser.
            try Self.restrictFiles(of: path)
            // GRDB switches a pool's writer to WAL with synchronous = NORMAL
            // after prepareDatabase ran: an fsync only at checkpoints, so a
            // power loss could lose acknowledged commits. Put FULL back on
            // the one connection that writes.
            try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
            keptHeadsBefore = try pool.read { try migrator.appliedIdentifiers($0).contains(StoreSchema.auditHeadsMigration) }
            try migrator.migrate(pool)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.cannotOpen("\(type(of: error))")
        }
        var hooks: CommitHooks?
        if let headKey {
            hooks = CommitHooks(prepare: { db in try Self.chainLength(db) },
                                finish: { db, before in try Self.signHead(db, key: headKey, chainBefore: before) })
        }
        writer = GroupCommitWriter(pool: pool, hooks: hooks)
        self.timeGranularity = max(timeGranularity, 1)
        guard let headKey else { return }
        // Every entry must be covered by a head this key signed, in the
        // transaction that wrote it. A chain that runs past the newest head
        // was extended by someone else: refuse to sign it, and to serve.
        // Only a store from before heads were kept gets its backlog signed once.
        do {
            try pool.write { db in
                let length = try Self.chainLength(db)
                if let newest = try Self.newestHead(db) {
                    guard newest == length else { throw StoreError.unsignedAuditEntries(after: UInt64(newest)) }
                    return
                }
                guard !keptHeadsBefore || length == 0 else { throw StoreError.unsignedAuditEntries(after: 0) }
                try Self.signHead(db, key: headKey, chainBefore: nil)
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.cannotOpen("\(type(of: error))")
        }
    }

    /// The database, WAL and shared-memory files are the owner's alone
    /// (0600): they hold sealed tips, but also who-wrote-when metadata. A
    /// new database file is created 0600 before SQLite opens it, whatever
    /// the umask, because SQLite creates the -wal and -shm files with the
    /// database file's mode. Existing files are narrowed to 0600.
    static func restrictFiles(of path: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw StoreError.cannotOpen("cannot create the database file (errno \(errno))") }
        defer { close(fd) }
        guard fchmod(fd, 0o600) == 0 else { throw StoreError.cannotOpen("cannot make the database file 0600 (errno \(errno))") }
        for suffix in ["-wal", "-shm"] {
            let other = open(path + suffix, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            guard other >= 0 else { continue }
            defer { close(other) }
            guard fchmod(other, 0o600) == 0 else { throw StoreError.cannotOpen("cannot make \(suffix) 0600 (errno \(errno))") }
        }
    }

    static func chainLength(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(seq) FROM audit")) ?? 0
    }

    static func newestHead(_ db: Database) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(seq) FROM audit_head"))
    }

    /// Stores the chain's head, signed, unless the newest stored head is it
    /// already. `chainBefore` is the chain's length when this transaction
    /// began: the newest head must cover exactly that, or entries were
    /// appended outside this store's writer and signing would vouch for them.
    static func signHead(_ db: Database, key: SigningKeyPair, chainBefore: Int64?) throws {
        let newest = try newestHead(db)
        if let chainBefore, (newest ?? 0) != chainBefore {
            throw StoreError.unsignedAuditEntries(after: UInt64(newest ?? 0))
        }
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, time, entry_hash FROM audit ORDER BY seq DESC LIMIT 1"))
        let sequence = last.map { UInt64($0["seq"] as Int64) } ?? 0
        if let newest, UInt64(newest) >= sequence { return }
        let head = AuditHead(sequence: sequence, headHash: last.map { Array($0["entry_hash"] as Data) } ?? AuditEntry.genesis,
                             time: last.map { UInt64($0["time"] as Int64) } ?? 0, signedBy: key)
        try db.cachedStatement(sql: "INSERT INTO audit_head (seq, head_hash, time, signature) VALUES (?, ?, ?, ?)").execute(
                       arguments: [Int64(head.sequence), Data(head.headHash), Int64(head.time), Data(head.signature)])
    }

    static func auditHead(_ row: Row) -> AuditHead {
        AuditHead(sequence: UInt64(row["seq"] as Int64), headHash: Array(row["head_hash"] as Data),
                  time: UInt64(row["time"] as Int64), signature: Array(row["signature"] as Data))
    }

    /// The newest signed head, if the store keeps them.
    public func latestAuditHead() async throws -> AuditHead? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM audit_head ORDER BY seq DESC LIMIT 1").map(Self.auditHead)
        }
    }

    /// `now` rounded down to the store's granularity.
    public func coarse(_ now: UInt64) -> UInt64 { now - now % timeGranularity }

    // MARK: Audit

    /// Appends an audit entry inside the current transaction.
    static func appendAudit(_ db: Database, time: UInt64, kind: AuditKind, subject: [UInt8], actor: [UInt8],
                            record: [UInt8]) throws -> UInt64 {
        try appendAudit(db, time: time, kind: kind, subject: subject, actor: actor, payloadHash: AuditEntry.payloadHash(of: record))
    }

    /// Appends an audit entry with a payload hash computed by the caller
    /// (``AuditRecord``), inside the current transaction.
    static func appendAudit(_ db: Database, time: UInt64, kind: AuditKind, subject: [UInt8], actor: [UInt8],
                            payloadHash: [UInt8]) throws -> UInt64 {
        // Cached statements: these run for every write, and compiling their
        // SQL again each time was a measurable share of a submission's cost.
        // Columns by position, not name: a name lookup folds case on every call.
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, entry_hash FROM audit ORDER BY seq DESC LIMIT 1"))
        let sequence = (last.map { UInt64($0[0] as Int64) } ?? 0) + 1
        let previous: [UInt8] = last.map { Array(($0[1] as Data?) ?? Data()) } ?? AuditEntry.genesis
        let entry = AuditEntry(sequence: sequence, time: time, kind: kind, subject: subject, actor: actor,
                               payloadHash: payloadHash, previousHash: previous)
        try db.cachedStatement(sql: """
            INSERT INTO audit (seq, time, kind, subject, actor, payload_hash, previous_hash, entry_hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [Int64(sequence), Int64(time), Int64(kind.rawValue), Data(subject), Data(actor),
                             Data(entry.payloadHash), Data(previous), Data(entry.entryHash)])
        return sequence
    }

    /// Audit entries after `sequence`, in order, at most `limit`.
    public func auditEntries(after sequence: UInt64 = 0, limit: Int = 1000) async throws -> [AuditEntry] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?",
                             arguments: [Int64(clamping: sequence), limit]).compactMap(Self.auditEntry)
        }
    }

    static func auditEntry(_ row: Row) -> AuditEntry? {
        guard let kind = AuditKind(rawValue: UInt8(truncatingIfNeeded: row["kind"] as Int64)) else { return nil }
        func bytes(_ column: String) -> [UInt8] { Array((row[column] as Data?) ?? Data()) }
        return AuditEntry(stored: UInt64(row["seq"] as Int64), time: UInt64(row["time"] as Int64), kind: kind,
                          subject: bytes("subject"), actor: bytes("actor"), payloadHash: bytes("payload_hash"),
                          previousHash: bytes("previous_hash"), entryHash: bytes("entry_hash"))
    }

    /// Verifies the whole chain, that every record matches its entry and has
    /// one, that no entry's record was deleted (``AuditSnapshot/recordProblems()``),
    /// and, given the server's key, every stored signed head.
    public func verifyAudit(serverKey: SigningPublicKey? = nil) async throws -> AuditEntry? {
        let snapshot = try await pool.read { db in try AuditSnapshot.read(db) }
        let head = try AuditChain.verify(snapshot.entries)
        if let problem = snapshot.recordProblems().first { throw problem.error }
        if let serverKey { try AuditChain.verify(heads: snapshot.heads ?? [], against: snapshot.entries, serverKey: serverKey) }
        return head
    }

    // MARK: Bundles

    /// Stores a bundle the caller has verified; its version must be the highest.
    public func publishBundle(signed: [UInt8], version: UInt64, id: [UInt8], now: UInt64) async throws -> UInt64 {
        let time = coarse(now)
        // A validly signed bundle can still carry any 64-bit version; refuse
        // what SQLite cannot hold rather than trap converting it.
        guard let storedVersion = Int64(exactly: version) else { throw StoreError.outOfRange("version") }
        return try await writer.submit { db in
            let current = try Int64.fetchOne(db, sql: "SELECT MAX(version) FROM bundle") ?? 0
            guard storedVersion > current else {
                throw StoreError.bundleNotNewer(current: UInt64(clamping: current), offered: version)
            }
            let sequence = try Self.appendAudit(db, time: time, kind: .bundlePublished, subject: id, actor: [], record: signed)
            try db.execute(sql: "INSERT INTO bundle (version, bundle_id, signed_bundle, audit_seq) VALUES (?, ?, ?, ?)",
                           arguments: [storedVersion, Data(id), Data(signed), Int64(sequence)])
            return sequence
        }
    }

    /// Stores a responder's receiving-key statement, verified by the caller
    /// (PROTOCOL.md §14.2), with its audit entry, unless the key is known or
    /// the responder already has `limit` keys that have not expired at `now`.
    public func publishReceivingKey(statement: [UInt8], keyId: [UInt8], responderId: [UInt8], notBefore: UInt64,
                                    notAfter: UInt64, limit: Int, now: UInt64) async throws -> UInt64 {
        guard let from = Int64(exactly: notBefore), let until = Int64(exactly: notAfter), let at = Int64(exactly: now) else {
            throw StoreError.outOfRange("receiving key window")
        }
        let time = coarse(now)
        return try await writer.submit { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM receiving_key WHERE key_id = ?", arguments: [Data(keyId)]) ?? false {
                throw StoreError.receivingKeyKnown
            }
            let live = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM receiving_key WHERE responder_id = ? AND not_after > ?",
                                        arguments: [Data(responderId), at]) ?? 0
            guard live < limit else { throw StoreError.tooManyReceivingKeys(limit: limit) }
            let sequence = try Self.appendAudit(db, time: time, kind: .receivingKeyPublished, subject: keyId,
                                                actor: responderId, record: statement)
            try db.execute(sql: """
                INSERT INTO receiving_key (key_id, responder_id, statement, not_before, not_after, audit_seq)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [Data(keyId), Data(responderId), Data(statement), from, until, Int64(sequence)])
            return sequence
        }
    }

    /// The statements of receiving keys whose window ends after `after`,
    /// oldest first: what the server serves with the bundle, and accepts
    /// envelopes for.
    public func receivingKeys(endingAfter after: UInt64) throws -> [[UInt8]] {
        try pool.read { db in
            try Data.fetchAll(db, sql: "SELECT statement FROM receiving_key WHERE not_after > ? ORDER BY audit_seq",
                              arguments: [Int64(clamping: after)]).map(Array.init)
        }
    }

    /// The newest published bundle, if any.
    public func currentBundle() throws -> [UInt8]? {
        try pool.read { db in
            try Data.fetchOne(db, sql: "SELECT signed_bundle FROM bundle ORDER BY version DESC LIMIT 1").map(Array.init)
        }
    }

    /// Published bundles with a version above `version`, oldest first, at most `limit`.
    public func bundles(after version: UInt64, limit: Int) async throws -> [(version: UInt64, signed: [UInt8])] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT version, signed_bundle FROM bundle WHERE version > ? ORDER BY version LIMIT ?",
                             arguments: [Int64(clamping: version), max(limit, 0)])
                .map { (UInt64(clamping: $0["version"] as Int64), Array($0["signed_bundle"] as Data)) }
        }
    }

    /// Every published bundle, oldest first.
    public func allBundles() async throws -> [[UInt8]] {
        try await pool.read { db in
            try Data.fetchAll(db, sql: "SELECT signed_bundle FROM bundle ORDER BY version").map(Array.init)
        }
    }

    // MARK: Tips and events

    /// Records `token` as spent until `until`, in the current transaction;
    /// throws ``StoreError/alreadySpent`` when it is spent and not yet due.
    static func spend(_ db: Database, token: [UInt8], until: UInt64, now: UInt64) throws {
        if let due = try Int64.fetchOne(db.cachedStatement(sql: "SELECT until FROM spent_token WHERE token = ?"),
                                        arguments: [Data(token)]), due > Int64(clamping: now) {
            throw StoreError.alreadySpent
        }
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO spent_token (token, until) VALUES (?, ?)")
            .execute(arguments: [Data(token), Int64(clamping: until)])
    }

    /// Records a proof-of-work challenge or a request nonce as spent until
    /// `until`, durably; throws ``StoreError/alreadySpent`` when it was spent
    /// before and is not yet due. The memory survives restarts.
    public func spend(_ token: [UInt8], until: UInt64, now: UInt64) async throws {
        try await writer.submit { db in try Self.spend(db, token: token, until: until, now: now) }
    }

    /// Forgets spent tokens that are due: they could not be accepted again anyway.
    @discardableResult
    public func pruneSpentTokens(now: UInt64) async throws -> Int {
        try await writer.submit { db in
            try db.execute(sql: "DELETE FROM spent_token WHERE until <= ?", arguments: [Int64(clamping: now)])
            return db.changesCount
        }
    }

    /// Stores a sealed tip; returns after the commit is durable. `spending`
    /// is the proof of work that paid for it, recorded as spent in the same
    /// transaction (so a tip costs one commit, and a crash cannot keep the
    /// tip but forget the proof).
    public func insertTip(_ tip: NewTip, now: UInt64,
                          spending: (token: [UInt8], until: UInt64)? = nil) async throws -> (id: [UInt8], sequence: UInt64, receivedAt: UInt64) {
        let time = coarse(now)
        let id = SystemRandom().bytes(16)
        guard let slots = UInt64(exactly: tip.attachmentSlots), let padded = UInt64(exactly: tip.paddedLength) else {
            throw StoreError.outOfRange("attachment_slots")
        }
        // Hashed before the write, off the writer: every column that grants
        // access (mailbox, upload token) or says what the tip is.
        let record = AuditRecord.tipHash(envelope: tip.envelope, paddedLength: padded, mailboxId: tip.mailboxId,
                                         mailboxKey: tip.mailboxKey, bundleVersion: tip.bundleVersion,
                                         attachmentSlots: slots, uploadTokenHash: tip.uploadTokenHash)
        let sequence = try await writer.submit { db in
            // Checked in the writing transaction, so that two submissions
            // under one key cannot both pass; the unique index backs it up.
            guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM tip WHERE mailbox_id = ?"),
                                    arguments: [Data(tip.mailboxId)]) != true
            else { throw StoreError.mailboxTaken }
            if let spending { try Self.spend(db, token: spending.token, until: spending.until, now: now) }
            let sequence = try Self.appendAudit(db, time: time, kind: .tipSubmitted, subject: id, actor: [], payloadHash: record)
            try db.cachedStatement(sql: """
                INSERT INTO tip (id, envelope, padded_length, received_at, expires_at, mailbox_id, mailbox_key,
                                 bundle_version, attachment_slots, upload_token_hash, audit_seq)
                VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [Data(id), Data(tip.envelope), tip.paddedLength, Int64(time), Data(tip.mailboxId),
                                 Data(tip.mailboxKey), Int64(tip.bundleVersion), tip.attachmentSlots,
                                 tip.uploadTokenHash.map { Data($0) }, Int64(sequence)])
            return sequence
        }
        return (id, sequence, time)
    }

    /// Appends a sealed triage event, reply or follow-up to a tip.
    public func appendEvent(tipId: [UInt8], kind: AuditKind, envelope: [UInt8], actor: [UInt8], now: UInt64) async throws -> UInt64 {
        precondition([.triageEvent, .reply, .followUp].contains(kind), "not an event kind")
        let time = coarse(now)
        return try await writer.submit { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM tip WHERE id = ?", arguments: [Data(tipId)]) == true else {
                throw StoreError.notFound
            }
            let sequence = try Self.appendAudit(db, time: time, kind: kind, subject: tipId, actor: actor, record: envelope)
            try db.execute(sql: "INSERT INTO event (seq, tip_id, kind, envelope, actor, received_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [Int64(sequence), Data(tipId), Int64(kind.rawValue), Data(envelope), Data(actor), Int64(time)])
            return sequence
        }
    }

    /// The number of stored tips.
    public func tipCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tip") ?? 0 }
    }

    /// Whether a tip with this id is stored.
    public func hasTip(_ id: [UInt8]) async throws -> Bool {
        try await pool.read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM tip WHERE id = ?", arguments: [Data(id)]) ?? false }
    }

    /// Copies the WAL into the database and truncates it (SQLite's own
    /// checkpoints leave the WAL file at its largest size, up to the
    /// journal size limit). Returns whether every frame was copied.
    @discardableResult
    public func checkpoint() async throws -> Bool {
        try await pool.writeWithoutTransaction { db in
            let result = try db.checkpoint(.truncate)
            return result.walFrameCount == result.checkpointedFrameCount
        }
    }

    /// `PRAGMA integrity_check`: "ok" for a sound database file.
    public func integrityCheck() async throws -> String {
        try await pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "" }
    }

    /// (transactions committed, writes they carried) by the group-commit writer.
    public func commitStatistics() -> (commits: Int, writes: Int) { writer.statistics() }
}

extension TipStore {
    /// The newest audit entry, if any.
    public func lastAuditEntry() async throws -> AuditEntry? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM audit ORDER BY seq DESC LIMIT 1").flatMap(Self.auditEntry)
        }
    }
}
