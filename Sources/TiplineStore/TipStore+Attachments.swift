import Foundation
import GRDB
import TiplineCrypto

extension TipStore {
    /// The tip's upload-token hash, when it was received, and how many
    /// attachment slots it has left (neither stored attachments nor uploads
    /// in progress hold them).
    public func uploadSlot(tipId: [UInt8]) async throws -> (tokenHash: [UInt8]?, receivedAt: UInt64, remaining: Int)? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT upload_token_hash, attachment_slots, received_at,
                       (SELECT COUNT(*) FROM attachment WHERE tip_id = tip.id)
                       + (SELECT COUNT(*) FROM upload WHERE tip_id = tip.id) AS used
                FROM tip WHERE id = ?
                """, arguments: [Data(tipId)]) else { return nil }
            let slots: Int = row["attachment_slots"], used: Int = row["used"]
            let received: Int64 = row["received_at"]
            return ((row["upload_token_hash"] as Data?).map(Array.init), UInt64(clamping: received), slots - used)
        }
    }

    /// Takes one of the tip's attachment slots for an upload of
    /// `encryptedSize` bytes, in one transaction, so that concurrent uploads
    /// never exceed the slots left, and uploads in progress on the whole
    /// server never stage more than `stagingQuota` bytes.
    ///
    /// `uploadId` is the caller's, so that it can count the upload as live
    /// (``sweepUploads(keeping:)``) before it exists.
    public func reserveUpload(uploadId: [UInt8], tipId: [UInt8], encryptedSize: UInt64, stagingQuota: UInt64,
                              now: UInt64) async throws -> UploadReservation {
        guard let size = Int64(exactly: encryptedSize) else { throw StoreError.outOfRange("encrypted_size") }
        let started = Int64(clamping: now)
        let quota = Int64(clamping: stagingQuota)
        return try await writer.submit { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT attachment_slots,
                       (SELECT COUNT(*) FROM attachment WHERE tip_id = tip.id)
                       + (SELECT COUNT(*) FROM upload WHERE tip_id = tip.id) AS used
                FROM tip WHERE id = ?
                """, arguments: [Data(tipId)]) else { throw StoreError.notFound }
            guard (row["attachment_slots"] as Int) > (row["used"] as Int) else { return .noSlotLeft }
            let staged = try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(encrypted_size), 0) FROM upload") ?? 0
            guard size <= quota - staged else { return .stagingFull }
            try db.execute(sql: "INSERT INTO upload (id, tip_id, encrypted_size, started_at) VALUES (?, ?, ?, ?)",
                           arguments: [Data(uploadId), Data(tipId), size, started])
            return .reserved(uploadId: uploadId)
        }
    }

    /// Stages one chunk of an upload in progress, in place: it is written
    /// once, where the attachment's chunks live. An upload that was swept
    /// or abandoned meanwhile gets `notFound` and stages nothing.
    public func stageChunk(uploadId: [UInt8], index: Int, data: [UInt8]) async throws {
        try await writer.submit { db in
            try db.execute(sql: """
                INSERT INTO attachment_chunk (attachment_id, idx, data)
                SELECT id, ?, ? FROM upload WHERE id = ?
                """, arguments: [index, Data(data), Data(uploadId)])
            guard db.changesCount == 1 else { throw StoreError.notFound }
        }
    }

    /// Completes an upload: the reservation becomes the attachment, with an
    /// audit entry recording the stream's hash, in one transaction. No
    /// chunk is copied: they are already where the attachment's chunks live.
    public func completeUpload(uploadId: [UInt8], tipId: [UInt8], encryptedSize: UInt64, contentHash: [UInt8],
                               now: UInt64) async throws -> (attachmentId: [UInt8], sequence: UInt64) {
        let time = coarse(now)
        guard let storedSize = Int64(exactly: encryptedSize) else { throw StoreError.outOfRange("encrypted_size") }
        let record = AuditRecord.attachmentHash(contentHash: contentHash, tipId: tipId, encryptedSize: encryptedSize)
        let sequence = try await writer.submit { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM upload WHERE id = ? AND tip_id = ?",
                                    arguments: [Data(uploadId), Data(tipId)]) ?? false
            else { throw StoreError.notFound }
            let sequence = try Self.appendAudit(db, time: time, kind: .attachmentStored, subject: uploadId, actor: [],
                                                payloadHash: record)
            try db.execute(sql: "INSERT INTO attachment (id, tip_id, encrypted_size, content_hash, audit_seq) VALUES (?, ?, ?, ?, ?)",
                           arguments: [Data(uploadId), Data(tipId), storedSize, Data(contentHash), Int64(sequence)])
            // The attachment exists now, so the trigger keeps the chunks.
            try db.execute(sql: "DELETE FROM upload WHERE id = ?", arguments: [Data(uploadId)])
            return sequence
        }
        return (uploadId, sequence)
    }

    /// Removes an interrupted upload: its reservation and its staged chunks.
    public func abandonUpload(uploadId: [UInt8]) async throws {
        try await writer.submit { db in
            try db.execute(sql: "DELETE FROM upload WHERE id = ?", arguments: [Data(uploadId)])
        }
    }

    /// Removes every upload in progress: at start-up, they died with the last process.
    public func abandonAllUploads() async throws {
        try await sweepUploads(keeping: [])
    }

    /// Removes uploads in progress that no live handler owns (the process
    /// that ran them died, or an abandon failed) and chunks that belong to
    /// neither an attachment nor an upload. Returns how many uploads went.
    ///
    /// Upload tokens are not cleared when they expire: the tip's audit
    /// record binds the token's hash (PROTOCOL.md §15.1), and the server
    /// refuses a token by the tip's received time, which is bound too.
    @discardableResult
    public func sweepUploads(keeping live: Set<[UInt8]>) async throws -> Int {
        try await writer.submit { db in
            let ids = try Data.fetchAll(db, sql: "SELECT id FROM upload").map(Array.init).filter { !live.contains($0) }
            for id in ids { try db.execute(sql: "DELETE FROM upload WHERE id = ?", arguments: [Data(id)]) }
            try db.execute(sql: """
                DELETE FROM attachment_chunk WHERE attachment_id NOT IN (SELECT id FROM attachment)
                                              AND attachment_id NOT IN (SELECT id FROM upload)
                """)
            return ids.count
        }
    }

    /// Chunks of uploads in progress (tests check an interrupted upload leaves none).
    public func stagedChunkCount() async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attachment_chunk WHERE attachment_id NOT IN (SELECT id FROM attachment)") ?? 0
        }
    }

    /// Uploads in progress.
    public func uploadsInProgress() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM upload") ?? 0 }
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
