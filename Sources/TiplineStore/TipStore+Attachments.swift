import Foundation
import GRDB
import TiplineCrypto

extension TipStore {
    /// The tip's upload-token hash and how many attachment slots it has left.
    public func uploadSlot(tipId: [UInt8]) async throws -> (tokenHash: [UInt8]?, remaining: Int)? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT upload_token_hash, attachment_slots,
                       (SELECT COUNT(*) FROM attachment WHERE tip_id = tip.id) AS used
                FROM tip WHERE id = ?
                """, arguments: [Data(tipId)]) else { return nil }
            let slots: Int = row["attachment_slots"], used: Int = row["used"]
            return ((row["upload_token_hash"] as Data?).map(Array.init), slots - used)
        }
    }

    /// Stages one chunk of an upload in progress.
    public func stageChunk(uploadId: [UInt8], index: Int, data: [UInt8]) async throws {
        try await writer.submit { db in
            try db.execute(sql: "INSERT INTO upload_chunk (upload_id, idx, data) VALUES (?, ?, ?)",
                           arguments: [Data(uploadId), index, Data(data)])
        }
    }

    /// Completes an upload: its staged chunks become the attachment, with an
    /// audit entry recording the stream's hash, in one transaction.
    public func completeUpload(uploadId: [UInt8], tipId: [UInt8], encryptedSize: UInt64, contentHash: [UInt8],
                               now: UInt64) async throws -> (attachmentId: [UInt8], sequence: UInt64) {
        let time = coarse(now)
        guard let storedSize = Int64(exactly: encryptedSize) else { throw StoreError.outOfRange("encrypted_size") }
        let attachmentId = SystemRandom().bytes(16)
        let sequence = try await writer.submit { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT attachment_slots, (SELECT COUNT(*) FROM attachment WHERE tip_id = tip.id) AS used
                FROM tip WHERE id = ?
                """, arguments: [Data(tipId)])
            guard let row, (row["attachment_slots"] as Int) > (row["used"] as Int) else { throw StoreError.notFound }
            let sequence = try Self.appendAudit(db, time: time, kind: .attachmentStored, subject: attachmentId, actor: [],
                                                record: contentHash)
            try db.execute(sql: "INSERT INTO attachment (id, tip_id, encrypted_size, content_hash, audit_seq) VALUES (?, ?, ?, ?, ?)",
                           arguments: [Data(attachmentId), Data(tipId), storedSize, Data(contentHash), Int64(sequence)])
            try db.execute(sql: """
                INSERT INTO attachment_chunk (attachment_id, idx, data)
                SELECT ?, idx, data FROM upload_chunk WHERE upload_id = ?
                """, arguments: [Data(attachmentId), Data(uploadId)])
            try db.execute(sql: "DELETE FROM upload_chunk WHERE upload_id = ?", arguments: [Data(uploadId)])
            return sequence
        }
        return (attachmentId, sequence)
    }

    /// Removes an interrupted upload's staged chunks.
    public func abandonUpload(uploadId: [UInt8]) async throws {
        try await writer.submit { db in
            try db.execute(sql: "DELETE FROM upload_chunk WHERE upload_id = ?", arguments: [Data(uploadId)])
        }
    }

    /// Removes every staged chunk: at start-up, uploads in progress died with the last process.
    public func abandonAllUploads() async throws {
        try await writer.submit { db in try db.execute(sql: "DELETE FROM upload_chunk") }
    }

    /// Staged chunks not yet completed (tests check an interrupted upload leaves none).
    public func stagedChunkCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM upload_chunk") ?? 0 }
    }

    /// The number of stored attachments.
    public func attachmentCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attachment") ?? 0 }
    }

    /// An attachment's chunks in order, read one at a time.
    public func attachmentChunks(id: [UInt8], _ body: ([UInt8]) async throws -> Void) async throws {
        let count = try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attachment_chunk WHERE attachment_id = ?", arguments: [Data(id)]) ?? 0
        }
        guard try await pool.read({ db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM attachment WHERE id = ?", arguments: [Data(id)]) ?? false
        }) else { throw StoreError.notFound }
        for index in 0..<count {
            let data = try await pool.read { db in
                try Data.fetchOne(db, sql: "SELECT data FROM attachment_chunk WHERE attachment_id = ? AND idx = ?",
                                  arguments: [Data(id), index])
            }
            guard let data else { throw StoreError.notFound }
            try await body(Array(data))
        }
    }
}
