import Foundation
import GRDB
import TiplineCrypto

extension TipStore {
    /// Inbox items after `sequence`, in audit order: the cursor is the audit
    /// sequence number, so a sync can resume exactly where it stopped.
    public func inbox(after sequence: UInt64, limit: Int) async throws -> [(UInt64, InboxRecord)] {
        try await pool.read { db in
            let entries = try Row.fetchAll(db, sql: "SELECT seq, kind, subject FROM audit WHERE seq > ? ORDER BY seq LIMIT ?",
                                           arguments: [Int64(clamping: sequence), limit])
            return try entries.map { row in
                let seq = UInt64(row["seq"] as Int64)
                let subject = Data(row["subject"] as Data)
                let kind = AuditKind(rawValue: UInt8(truncatingIfNeeded: row["kind"] as Int64))
                switch kind {
                case .tipSubmitted:
                    guard let tip = try Row.fetchOne(db, sql: "SELECT * FROM tip WHERE id = ?", arguments: [subject]) else {
                        return (seq, .none)
                    }
                    return (seq, .tip(id: Array(subject), envelope: Array(tip["envelope"] as Data),
                                      receivedAt: UInt64(tip["received_at"] as Int64),
                                      expiresAt: (tip["expires_at"] as Int64?).map(UInt64.init),
                                      mailboxId: Array(tip["mailbox_id"] as Data)))
                case .triageEvent, .reply, .followUp:
                    guard let event = try Row.fetchOne(db, sql: "SELECT * FROM event WHERE seq = ?", arguments: [Int64(seq)]) else {
                        return (seq, .none)
                    }
                    return (seq, .event(tipId: Array(event["tip_id"] as Data), kind: kind!, envelope: Array(event["envelope"] as Data),
                                        receivedAt: UInt64(event["received_at"] as Int64), actor: Array(event["actor"] as Data)))
                case .attachmentStored:
                    guard let a = try Row.fetchOne(db, sql: "SELECT * FROM attachment WHERE id = ?", arguments: [subject]) else {
                        return (seq, .none)
                    }
                    return (seq, .attachment(id: Array(subject), tipId: Array(a["tip_id"] as Data),
                                             encryptedSize: UInt64(a["encrypted_size"] as Int64)))
                case .purge:
                    return (seq, .purged(tipId: Array(subject)))
                case .bundlePublished, .expirySet, .receivingKeyPublished, .none:
                    return (seq, .none)
                }
            }
        }
    }

    /// The mailbox key registered with a mailbox id, and the newest tip filed under it.
    public func mailbox(id: [UInt8]) async throws -> (key: [UInt8], tipId: [UInt8])? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT id, mailbox_key FROM tip WHERE mailbox_id = ? ORDER BY audit_seq DESC LIMIT 1",
                             arguments: [Data(id)]).map { (Array($0["mailbox_key"] as Data), Array($0["id"] as Data)) }
        }
    }

    /// Replies and follow-ups on every tip of a mailbox, after `sequence`, at most `limit`.
    public func mailboxMessages(id: [UInt8], after sequence: UInt64, limit: Int = 1000) async throws -> [(UInt64, [UInt8], UInt64)] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT e.seq, e.envelope, e.received_at FROM event e JOIN tip t ON t.id = e.tip_id
                WHERE t.mailbox_id = ? AND e.kind IN (?, ?) AND e.seq > ? ORDER BY e.seq LIMIT ?
                """, arguments: [Data(id), Int64(AuditKind.reply.rawValue), Int64(AuditKind.followUp.rawValue), Int64(clamping: sequence),
                                 max(limit, 0)])
                .map { (UInt64($0["seq"] as Int64), Array($0["envelope"] as Data), UInt64($0["received_at"] as Int64)) }
        }
    }

    /// The mailbox id of a tip.
    public func mailboxId(ofTip tipId: [UInt8]) async throws -> [UInt8]? {
        try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT mailbox_id FROM tip WHERE id = ?", arguments: [Data(tipId)]).map(Array.init)
        }
    }

    /// Sets or clears (0) a tip's expiry, with an audit entry.
    public func setExpiry(tipId: [UInt8], expiresAt: UInt64, actor: [UInt8], now: UInt64) async throws -> UInt64 {
        let time = coarse(now)
        // Checked before the write: a conversion that trapped inside it would stop the server.
        guard let storedExpiry = Int64(exactly: expiresAt) else { throw StoreError.outOfRange("expires_at") }
        return try await writer.submit { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM tip WHERE id = ?", arguments: [Data(tipId)]) == true else {
                throw StoreError.notFound
            }
            let sequence = try Self.appendAudit(db, time: time, kind: .expirySet, subject: tipId, actor: actor,
                                                payloadHash: AuditRecord.expiryHash(expiresAt))
            try db.execute(sql: "UPDATE tip SET expires_at = ? WHERE id = ?",
                           arguments: [expiresAt == 0 ? nil : storedExpiry, Data(tipId)])
            return sequence
        }
    }

    /// Deletes every tip whose expiry has passed, with everything attached to
    /// it; `secure_delete` overwrites the freed pages. Each purge is an audit entry.
    public func purgeExpired(now: UInt64, actor: [UInt8]) async throws -> Int {
        let time = coarse(now)
        return try await writer.submit { db in
            let expired = try Data.fetchAll(db, sql: "SELECT id FROM tip WHERE expires_at IS NOT NULL AND expires_at <= ?",
                                            arguments: [Int64(clamping: now)])
            for id in expired {
                _ = try Self.appendAudit(db, time: time, kind: .purge, subject: Array(id), actor: actor, record: Array(id))
                try db.execute(sql: "DELETE FROM tip WHERE id = ?", arguments: [id])
            }
            return expired.count
        }
    }
}
