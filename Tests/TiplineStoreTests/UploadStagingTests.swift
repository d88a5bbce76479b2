import Foundation
import GRDB
import Testing
import TiplineCrypto
@testable import TiplineStore

/// Uploads are reserved, staged in place and swept (issue 12 item 3).
@Suite struct UploadStagingTests {
    static let now: UInt64 = 1_800_000_123
    static let serverKey = SigningKeyPair()

    func temporaryPath() throws -> (String, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-upload-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return (dir, dir + "/tipline.sqlite")
    }

    func tip(slots: Int) -> NewTip {
        NewTip(envelope: [UInt8](repeating: 1, count: 1200), paddedLength: 1024, mailboxId: SystemRandom().bytes(32),
               mailboxKey: SystemRandom().bytes(32), bundleVersion: 1, attachmentSlots: slots, uploadTokenHash: [9])
    }

    @Test func reservationsNeverExceedTheSlotsEvenAllAtOnce() async throws {
        let (dir, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try TipStore(path: path, headKey: Self.serverKey)
        let stored = try await store.insertTip(tip(slots: 3), now: Self.now)
        let results = try await withThrowingTaskGroup(of: UploadReservation.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    try await store.reserveUpload(uploadId: SystemRandom().bytes(16), tipId: stored.id, encryptedSize: 10,
                                                  stagingQuota: 1 << 30, now: Self.now)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.filter { if case .reserved = $0 { true } else { false } }.count == 3)
        #expect(results.filter { $0 == .noSlotLeft }.count == 37)
        #expect(try await store.uploadSlot(tipId: stored.id)?.remaining == 0)
    }

    @Test func aSweptUploadCannotStageMore() async throws {
        let (dir, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try TipStore(path: path, headKey: Self.serverKey)
        let stored = try await store.insertTip(tip(slots: 1), now: Self.now)
        let id = SystemRandom().bytes(16)
        _ = try await store.reserveUpload(uploadId: id, tipId: stored.id, encryptedSize: 6, stagingQuota: 100, now: Self.now)
        try await store.stageChunk(uploadId: id, index: 0, data: [1, 2, 3])
        #expect(try await store.sweepUploads(keeping: []) == 1)
        #expect(try await store.stagedChunkCount() == 0)
        await #expect(throws: StoreError.notFound) { try await store.stageChunk(uploadId: id, index: 1, data: [4, 5, 6]) }
        await #expect(throws: StoreError.notFound) {
            _ = try await store.completeUpload(uploadId: id, tipId: stored.id, encryptedSize: 6, contentHash: [0], now: Self.now)
        }
        #expect(try await store.stagedChunkCount() == 0)
        #expect(try await store.attachmentCount() == 0)
    }

    @Test func purgingATipRemovesItsUploadsInProgressAndTheirChunks() async throws {
        let (dir, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try TipStore(path: path, headKey: Self.serverKey)
        let stored = try await store.insertTip(tip(slots: 2), now: Self.now)
        for index in 0..<2 {
            let id = SystemRandom().bytes(16)
            _ = try await store.reserveUpload(uploadId: id, tipId: stored.id, encryptedSize: 3, stagingQuota: 100, now: Self.now)
            try await store.stageChunk(uploadId: id, index: 0, data: [1, 2, 3])
            if index == 0 {
                _ = try await store.completeUpload(uploadId: id, tipId: stored.id, encryptedSize: 3, contentHash: [0], now: Self.now)
            }
        }
        _ = try await store.setExpiry(tipId: stored.id, expiresAt: Self.now, actor: [7], now: Self.now)
        #expect(try await store.purgeExpired(now: Self.now, actor: [7]) == 1)
        let left = try await store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT (SELECT COUNT(*) FROM attachment_chunk) + (SELECT COUNT(*) FROM upload)") ?? -1
        }
        #expect(left == 0)
    }

    @Test func aVersion2StoreKeepsItsAttachmentsThroughTheMigration() async throws {
        let (dir, path) = try temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A store as the previous release left it, with one attachment.
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreSchema.migrator().migrate(queue, upTo: StoreSchema.auditHeadsMigration)
            try await queue.write { db in
                try db.execute(sql: """
                    INSERT INTO tip (id, envelope, padded_length, received_at, mailbox_id, mailbox_key, bundle_version,
                                     attachment_slots, audit_seq) VALUES (X'01', X'00', 1, 0, X'02', X'03', 1, 1, 0);
                    INSERT INTO attachment (id, tip_id, encrypted_size, content_hash, audit_seq) VALUES (X'0A', X'01', 3, X'00', 0);
                    INSERT INTO attachment_chunk (attachment_id, idx, data) VALUES (X'0A', 0, X'070809');
                    INSERT INTO upload_chunk (upload_id, idx, data) VALUES (X'0B', 0, X'FF');
                    """)
            }
        }
        let store = try TipStore(path: path)
        var chunks: [[UInt8]] = []
        try await store.attachmentChunks(id: [0x0A]) { chunks.append($0) }
        #expect(chunks == [[7, 8, 9]])
        #expect(try await store.stagedChunkCount() == 0)
    }
}
