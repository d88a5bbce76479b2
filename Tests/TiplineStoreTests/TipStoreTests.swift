import Foundation
import GRDB
import Testing
import TiplineCrypto
@testable import TiplineStore

/// Real SQLite files in temporary directories.
@Suite struct TipStoreTests {
    static let now: UInt64 = 1_800_000_123

    func temporaryPath() throws -> (String, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return (dir, dir + "/tipline.sqlite")
    }

    func newTip(_ marker: UInt8 = 1) -> NewTip {
        NewTip(envelope: [UInt8](repeating: marker, count: 1200), paddedLength: 1024, mailboxId: SystemRandom().bytes(32),
               mailboxKey: SystemRandom().bytes(32), bundleVersion: 1, attachmentSlots: 0, uploadTokenHash: nil)
    }

    @Test func settingsAreDurableAndSecure() async throws {
        let (dir, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try TipStore(path: path)
        let pragmas = try await store.pool.read { db throws -> [String] in
            try ["journal_mode", "synchronous", "secure_delete", "foreign_keys"].map {
                try String.fetchOne(db, sql: "PRAGMA \($0)") ?? ""
            }
        }
        // WAL, synchronous = FULL (2), secure delete, foreign keys.
        #expect(pragmas == ["wal", "2", "1", "1"])
        // The writer is the connection whose commits must be durable: GRDB
        // sets its synchronous to NORMAL (1) for WAL unless told otherwise.
        let writer = try await store.pool.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(writer == "2")
        #expect(try await store.integrityCheck() == "ok")
    }

    /// Issue 13 item 9: the database and its WAL and shared-memory files are
    /// the owner's alone, whatever the umask, and looser files are narrowed.
    @Test func theDatabaseFilesAreTheOwnersAlone() async throws {
        let (dir, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let old = umask(0o022)
        defer { umask(old) }
        func mode(_ file: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)?.intValue ?? -1
        }
        do {
            let store = try TipStore(path: path)
            _ = try await store.insertTip(newTip(), now: Self.now)
            for file in [path, path + "-wal", path + "-shm"] { #expect(try mode(file) == 0o600, "\(file)") }
        }
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            chmod(file, 0o644)
        }
        _ = try TipStore(path: path)
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            #expect(try mode(file) == 0o600, "\(file)")
        }
    }

    /// Issue 13 item 7: one tip per mailbox, checked in the writing
    /// transaction and by a unique index, so that concurrent submissions
    /// under one key cannot both pass.
    @Test func aMailboxHoldsOneTip() async throws {
        let (dir, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try TipStore(path: path)
        let tip = newTip()
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 { group.addTask { (try? await store.insertTip(tip, now: Self.now)) != nil } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 1)
        await #expect(throws: StoreError.mailboxTaken) { _ = try await store.insertTip(tip, now: Self.now) }
        #expect(try await store.tipCount() == 1)
        #expect(throws: (any Error).self) {
            try store.pool.write { db in
                try db.execute(sql: """
                    INSERT INTO tip SELECT X'00', envelope, padded_length, received_at, expires_at, mailbox_id, mailbox_key,
                                           bundle_version, attachment_slots, upload_token_hash, audit_seq FROM tip
                    """)
            }
        }
        #expect(try await store.verifyAudit()?.sequence == 1)
    }

    /// A tip and an attachment stored as version 1 wrote them (the entry
    /// hashing only the envelope, or the content hash) still verify, and are
    /// counted as such; a version-2 record is bound in every column.
    @Test func recordsFromBeforeColumnBindingStillVerifyAndAreCounted() async throws {
        let (dir, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try TipStore(path: path)
        let legacy = newTip(7)
        try await store.pool.write { db in
            let sequence = try TipStore.appendAudit(db, time: Self.now, kind: .tipSubmitted, subject: [1, 1], actor: [],
                                                    record: legacy.envelope)
            try db.execute(sql: """
                INSERT INTO tip (id, envelope, padded_length, received_at, mailbox_id, mailbox_key, bundle_version,
                                 attachment_slots, audit_seq) VALUES (X'0101', ?, 1024, ?, ?, ?, 1, 0, ?)
                """, arguments: [Data(legacy.envelope), Int64(Self.now), Data(legacy.mailboxId), Data(legacy.mailboxKey), Int64(sequence)])
        }
        _ = try await store.insertTip(newTip(8), now: Self.now)
        #expect(try await store.verifyAudit()?.sequence == 2)
        let snapshot = try await store.pool.read { try AuditSnapshot.read($0) }
        #expect(snapshot.legacyRecords().map(\.subject) == [[1, 1]])
        #expect(snapshot.recordProblems().isEmpty)
        // The version-2 tip's mailbox key is bound; changing it is named.
        try tamper(path, "UPDATE tip SET mailbox_key = zeroblob(32) WHERE id != X'0101'")
        await #expect(throws: AuditChainError.recordAltered(sequence: 2)) { try await store.verifyAudit() }
    }

    @Test func concurrentWritesShareCommits() async throws {
        let (dir, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try TipStore(path: path)
        let ids = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for i in 0..<200 { group.addTask { try await store.insertTip(self.newTip(UInt8(i % 250)), now: Self.now).id } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(ids).count == 200)
        #expect(try await store.tipCount() == 200)
        let stats = store.commitStatistics()
        #expect(stats.writes == 200)
        // 200 writes arriving together must not cost 200 fsyncs.
        #expect(stats.commits < 100, "commits: \(stats.commits)")
        #expect(try await store.verifyAudit()?.sequence == 200)
    }

    @Test func aFailingWriteDoesNotUndoItsNeighbours() async throws {
        let (dir, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try TipStore(path: path)
        let tip = try await store.insertTip(newTip(), now: Self.now)
        let good = Task { try await store.appendEvent(tipId: tip.id, kind: .triageEvent, envelope: [9, 9], actor: [1], now: Self.now) }
        let bad = Task { try await store.appendEvent(tipId: [0, 0, 0], kind: .triageEvent, envelope: [9], actor: [1], now: Self.now) }
        let goodSequence = try await good.value
        await #expect(throws: StoreError.notFound) { _ = try await bad.value }
        #expect(goodSequence == 2)
        #expect(try await store.verifyAudit()?.sequence == 2)
    }

    @Test func failingWritesInABusyGroupFailAloneAndTheChainStaysWhole() async throws {
        let (dir, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try TipStore(path: path, headKey: Self.serverKey)
        let tip = try await store.insertTip(newTip(), now: Self.now)
        // 120 writes at once, every fourth one for a tip that does not exist.
        // They share groups, so a group that ran without savepoints must be
        // rolled back and run again, write by write.
        let outcomes = await withTaskGroup(of: (Int, Result<UInt64, StoreError>).self) { group in
            for i in 0..<120 {
                group.addTask {
                    do {
                        let target = i % 4 == 0 ? [0, 0, UInt8(i)] : tip.id
                        return (i, .success(try await store.appendEvent(tipId: target, kind: .triageEvent, envelope: [UInt8(i)],
                                                                       actor: [1], now: Self.now)))
                    } catch let error as StoreError {
                        return (i, .failure(error))
                    } catch {
                        return (i, .failure(.writeNotRun))
                    }
                }
            }
            return await group.reduce(into: [Int: Result<UInt64, StoreError>]()) { $0[$1.0] = $1.1 }
        }
        for (i, outcome) in outcomes {
            if i % 4 == 0 {
                #expect(throws: StoreError.notFound) { try outcome.get() }
            } else {
                #expect(throws: Never.self) { try outcome.get() }
            }
        }
        let sequences = outcomes.values.compactMap { try? $0.get() }
        #expect(Set(sequences) == Set(2...91))
        let stats = store.commitStatistics()
        #expect(stats.commits < 100, "commits: \(stats.commits)")
        #expect(try await store.verifyAudit(serverKey: Self.serverKey.publicKey)?.sequence == 91)
        #expect(try await store.integrityCheck() == "ok")
    }

    /// A write that appends an audit entry and then fails, in a group with
    /// good writes: its savepoint undoes the entry, and the entries after it
    /// link to the chain as it really is, not to the undone one. (A cache of
    /// the chain's tail in the writer was tried, measured no faster and
    /// dropped; this test caught its one way to go wrong.)
    @Test func aWriteThatFailsAfterAppendingAnAuditEntryLeavesTheChainWhole() async throws {
        struct Refused: Error {}
        let (dir, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try TipStore(path: path, headKey: Self.serverKey)
        let tip = try await store.insertTip(newTip(), now: Self.now)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<90 {
                group.addTask {
                    if i % 3 == 0 {
                        return (try? await store.writer.submit { db in
                            _ = try TipStore.appendAudit(db, time: Self.now, kind: .triageEvent, subject: tip.id, actor: [2],
                                                         record: [UInt8(i)])
                            throw Refused()
                        }) != nil
                    }
                    return (try? await store.appendEvent(tipId: tip.id, kind: .triageEvent, envelope: [UInt8(i)], actor: [1],
                                                         now: Self.now)) != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 60)
        #expect(try await store.verifyAudit(serverKey: Self.serverKey.publicKey)?.sequence == 61)
        #expect(store.commitStatistics().commits < 60)
        // And the next transaction starts from the chain on disk.
        _ = try await store.insertTip(newTip(7), now: Self.now)
        #expect(try await store.verifyAudit(serverKey: Self.serverKey.publicKey)?.sequence == 62)
    }

    @Test func timesAreCoarsened() async throws {
        let (dir, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try TipStore(path: path, timeGranularity: 3600)
        let tip = try await store.insertTip(newTip(), now: Self.now)
        #expect(tip.receivedAt == Self.now - Self.now % 3600)
        #expect(try await store.auditEntries().first?.time == tip.receivedAt)
    }

    @Test func bundleVersionsOnlyIncrease() async throws {
        let (dir, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try TipStore(path: path)
        _ = try await store.publishBundle(signed: [1], version: 2, id: [UInt8](repeating: 1, count: 32), now: Self.now)
        await #expect(throws: StoreError.bundleNotNewer(current: 2, offered: 2)) {
            _ = try await store.publishBundle(signed: [2], version: 2, id: [UInt8](repeating: 2, count: 32), now: Self.now)
        }
        await #expect(throws: StoreError.bundleNotNewer(current: 2, offered: 1)) {
            _ = try await store.publishBundle(signed: [3], version: 1, id: [UInt8](repeating: 3, count: 32), now: Self.now)
        }
        _ = try await store.publishBundle(signed: [4], version: 3, id: [UInt8](repeating: 4, count: 32), now: Self.now)
        #expect(try store.currentBundle() == [4])
        #expect(try await store.allBundles() == [[1], [4]])
    }

    /// Tampers with the file through a second, independent connection, as
    /// someone with the disk would.
    func tamper(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: sql) }
        try queue.close()
    }

    static let serverKey = SigningKeyPair()

    /// Ten audit entries, each commit's head signed with ``serverKey``.
    func storeWithHistory() async throws -> (String, String, TipStore) {
        let (dir, path) = try temporaryPath()
        let store = try TipStore(path: path, headKey: Self.serverKey)
        for i in 0..<5 {
            let tip = try await store.insertTip(newTip(UInt8(i)), now: Self.now)
            _ = try await store.appendEvent(tipId: tip.id, kind: .triageEvent, envelope: [UInt8(i)], actor: [7], now: Self.now)
        }
        #expect(try await store.verifyAudit(serverKey: Self.serverKey.publicKey)?.sequence == 10)
        #expect(try await store.latestAuditHead()?.sequence == 10)
        return (dir, path, store)
    }

    @Test func everyCommitStoresASignedHead() async throws {
        let (dir, _, store) = try await storeWithHistory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let heads = try await store.pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM audit_head ORDER BY seq").map(TipStore.auditHead) }
        // The empty chain's head at open, then one per commit (the ten writes
        // were awaited one by one, so each had a commit of its own).
        #expect(heads.map(\.sequence) == Array(0...10))
        #expect(heads.allSatisfy { $0.isSigned(by: Self.serverKey.publicKey) })
        #expect(heads.allSatisfy { !$0.isSigned(by: SigningKeyPair().publicKey) })
    }

    @Test func headsDetectEntriesAppendedWithoutTheServerKey() async throws {
        let (dir, path, store) = try await storeWithHistory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A well-formed, correctly linked entry 11, as someone with the disk
        // but not the key could write it: the chain alone accepts it.
        let last = try #require(try await store.lastAuditEntry())
        let forged = AuditEntry(sequence: 11, time: last.time, kind: .purge, subject: [1], actor: [],
                                payloadHash: AuditEntry.payloadHash(of: []), previousHash: last.entryHash)
        try tamper(path, "INSERT INTO audit VALUES (11, \(forged.time), 8, X'01', X'', X'\(hex(forged.payloadHash))', X'\(hex(forged.previousHash))', X'\(hex(forged.entryHash))')")
        #expect(try await store.verifyAudit()?.sequence == 11)
        await #expect(throws: AuditChainError.unsignedEntries(after: 10)) {
            try await store.verifyAudit(serverKey: Self.serverKey.publicKey)
        }
    }

    /// An entry appended by someone with the disk but not the key: the
    /// running store refuses to sign over it, and so does a restart.
    @Test func theServerNeverSignsEntriesItDidNotWrite() async throws {
        let (dir, path, store) = try await storeWithHistory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let last = try #require(try await store.lastAuditEntry())
        let forged = AuditEntry(sequence: 11, time: last.time, kind: .purge, subject: [1], actor: [],
                                payloadHash: AuditEntry.payloadHash(of: []), previousHash: last.entryHash)
        try tamper(path, "INSERT INTO audit VALUES (11, \(forged.time), 8, X'01', X'', X'\(hex(forged.payloadHash))', X'\(hex(forged.previousHash))', X'\(hex(forged.entryHash))')")
        // The next write fails whole instead of vouching for entry 11.
        await #expect(throws: StoreError.unsignedAuditEntries(after: 10)) { _ = try await store.insertTip(newTip(), now: Self.now) }
        #expect(try await store.latestAuditHead()?.sequence == 10)
        #expect(try await store.tipCount() == 5)
        // A restart refuses the store.
        #expect(throws: StoreError.unsignedAuditEntries(after: 10)) { _ = try TipStore(path: path, headKey: Self.serverKey) }
        // Deleting every head as well does not help: this store kept heads.
        try tamper(path, "DELETE FROM audit_head")
        #expect(throws: StoreError.unsignedAuditEntries(after: 0)) { _ = try TipStore(path: path, headKey: Self.serverKey) }
        // Opening to read (no key) still works, for the auditor.
        #expect(throws: Never.self) { _ = try TipStore(path: path) }
    }

    @Test func headsDetectATruncatedChain() async throws {
        let (dir, path, store) = try await storeWithHistory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Cut the last tip's event and its entry: the chain alone still verifies.
        try tamper(path, "DELETE FROM event WHERE seq = 10; DELETE FROM audit WHERE seq = 10")
        #expect(try await store.verifyAudit()?.sequence == 9)
        await #expect(throws: AuditChainError.headMismatch(sequence: 10)) {
            try await store.verifyAudit(serverKey: Self.serverKey.publicKey)
        }
    }

    @Test func headsDetectAForgedSignatureOrAnotherKey() async throws {
        let (dir, path, store) = try await storeWithHistory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        await #expect(throws: AuditChainError.headSignatureInvalid(sequence: 0)) {
            try await store.verifyAudit(serverKey: SigningKeyPair().publicKey)
        }
        try tamper(path, "UPDATE audit_head SET time = time + 1 WHERE seq = 5")
        await #expect(throws: AuditChainError.headSignatureInvalid(sequence: 5)) {
            try await store.verifyAudit(serverKey: Self.serverKey.publicKey)
        }
    }

    @Test func chainDetectsAChangedRow() async throws {
        let (dir, path, store) = try await storeWithHistory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try tamper(path, "UPDATE audit SET time = time + 1 WHERE seq = 4")
        await #expect(throws: AuditChainError.entryAltered(sequence: 4)) { try await store.verifyAudit() }
    }

    @Test func chainDetectsAChangedRecord() async throws {
        let (dir, path, store) = try await storeWithHistory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try tamper(path, "UPDATE event SET envelope = X'FF' WHERE seq = 6")
        await #expect(throws: AuditChainError.recordAltered(sequence: 6)) { try await store.verifyAudit() }
    }

    @Test func chainDetectsADeletedRow() async throws {
        let (dir, path, store) = try await storeWithHistory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try tamper(path, "DELETE FROM audit WHERE seq = 3")
        await #expect(throws: AuditChainError.sequenceGap(expected: 3, found: 4)) { try await store.verifyAudit() }
    }

    @Test func chainDetectsADeletedLastRowThroughItsRecord() async throws {
        let (dir, path, store) = try await storeWithHistory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try tamper(path, "DELETE FROM audit WHERE seq = 10")
        await #expect(throws: AuditChainError.self) { try await store.verifyAudit() }
    }

    @Test func chainDetectsReorderedRows() async throws {
        let (dir, path, store) = try await storeWithHistory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Swap entries 2 and 3 by renumbering them.
        try tamper(path, "UPDATE audit SET seq = -1 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = -1")
        await #expect(throws: AuditChainError.entryAltered(sequence: 2)) { try await store.verifyAudit() }
    }

    @Test func chainDetectsADeletedRecord() async throws {
        let (dir, path, store) = try await storeWithHistory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The entry stays and the chain alone still verifies; the record is gone.
        try tamper(path, "DELETE FROM event WHERE seq = 4")
        await #expect(throws: AuditChainError.entryWithoutRecord(sequence: 4)) { try await store.verifyAudit() }
    }

    @Test func aPurgeAccountsForEveryRecordItDeletes() async throws {
        let (dir, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try TipStore(path: path, headKey: Self.serverKey)
        let base = newTip(1)
        let tip = try await store.insertTip(NewTip(envelope: base.envelope, paddedLength: base.paddedLength, mailboxId: base.mailboxId,
                                                   mailboxKey: base.mailboxKey, bundleVersion: 1, attachmentSlots: 1,
                                                   uploadTokenHash: nil), now: Self.now)
        _ = try await store.appendEvent(tipId: tip.id, kind: .reply, envelope: [1], actor: [7], now: Self.now)
        #expect(try await store.reserveUpload(uploadId: [9], tipId: tip.id, encryptedSize: 3, stagingQuota: 100,
                                              now: Self.now) == .reserved(uploadId: [9]))
        try await store.stageChunk(uploadId: [9], index: 0, data: [1, 2, 3])
        _ = try await store.completeUpload(uploadId: [9], tipId: tip.id, encryptedSize: 3,
                                           contentHash: [UInt8](repeating: 5, count: 32), now: Self.now)
        _ = try await store.setExpiry(tipId: tip.id, expiresAt: Self.now, actor: [7], now: Self.now)
        #expect(try await store.purgeExpired(now: Self.now, actor: [7]) == 1)
        // The tip, its reply and its attachment are gone, each accounted for by the purge.
        #expect(try await store.verifyAudit(serverKey: Self.serverKey.publicKey)?.sequence == 5)
    }

    @Test func chainDetectsARecordWithoutEntry() async throws {
        let (dir, path, store) = try await storeWithHistory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try tamper(path, "INSERT INTO event (seq, tip_id, kind, envelope, actor, received_at) SELECT 99, id, 3, X'00', X'', 0 FROM tip LIMIT 1")
        let subject = try await store.pool.read { db in
            try Data.fetchOne(db, sql: "SELECT tip_id FROM event WHERE seq = 99").map(Array.init)
        }
        await #expect(throws: AuditChainError.recordWithoutEntry(subject: try #require(subject))) { try await store.verifyAudit() }
    }
}

func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
