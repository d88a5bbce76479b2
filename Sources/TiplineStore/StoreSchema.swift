import GRDB

/// Versioned migrations. Every table holds sealed bytes, ids and coarse
/// times only: no address, no user agent, no plaintext.
enum StoreSchema {
    static let auditHeadsMigration = "v2-audit-heads"
    static let uploadsInPlaceMigration = "v3-uploads-in-place"
    static let uniqueMailboxesMigration = "v4-unique-mailboxes"
    static let spentTokensMigration = "v5-spent-tokens"
    static let receivingKeysMigration = "v6-receiving-keys"

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "bundle") { t in
                t.primaryKey("version", .integer)
                t.column("bundle_id", .blob).notNull().unique()
                t.column("signed_bundle", .blob).notNull()
                t.column("audit_seq", .integer).notNull()
            }
            try db.create(table: "tip") { t in
                t.primaryKey("id", .blob)
                t.column("envelope", .blob).notNull()
                t.column("padded_length", .integer).notNull()
                t.column("received_at", .integer).notNull()
                t.column("expires_at", .integer)
                t.column("mailbox_id", .blob).notNull().indexed()
                t.column("mailbox_key", .blob).notNull()
                t.column("bundle_version", .integer).notNull()
                t.column("attachment_slots", .integer).notNull()
                t.column("upload_token_hash", .blob)
                t.column("audit_seq", .integer).notNull()
            }
            try db.create(table: "attachment") { t in
                t.primaryKey("id", .blob)
                t.column("tip_id", .blob).notNull().indexed().references("tip", onDelete: .cascade)
                t.column("encrypted_size", .integer).notNull()
                t.column("content_hash", .blob).notNull()
                t.column("audit_seq", .integer).notNull()
            }
            try db.create(table: "attachment_chunk") { t in
                t.column("attachment_id", .blob).notNull().references("attachment", onDelete: .cascade)
                t.column("idx", .integer).notNull()
                t.column("data", .blob).notNull()
                t.primaryKey(["attachment_id", "idx"])
            }
            // Chunks of an upload in progress; moved into attachment_chunk in
            // the transaction that completes the upload, deleted if it fails.
            try db.create(table: "upload_chunk") { t in
                t.column("upload_id", .blob).notNull()
                t.column("idx", .integer).notNull()
                t.column("data", .blob).notNull()
                t.primaryKey(["upload_id", "idx"])
            }
            try db.create(table: "event") { t in
                t.primaryKey("seq", .integer)
                t.column("tip_id", .blob).notNull().indexed().references("tip", onDelete: .cascade)
                t.column("kind", .integer).notNull()
                t.column("envelope", .blob).notNull()
                t.column("actor", .blob).notNull()
                t.column("received_at", .integer).notNull()
            }
            try db.create(table: "audit") { t in
                t.primaryKey("seq", .integer)
                t.column("time", .integer).notNull()
                t.column("kind", .integer).notNull()
                t.column("subject", .blob).notNull()
                t.column("actor", .blob).notNull()
                t.column("payload_hash", .blob).notNull()
                t.column("previous_hash", .blob).notNull()
                t.column("entry_hash", .blob).notNull()
            }
        }
        // One signed head per commit that grew the chain (AuditHead).
        migrator.registerMigration(auditHeadsMigration) { db in
            try db.create(table: "audit_head") { t in
                t.primaryKey("seq", .integer)
                t.column("head_hash", .blob).notNull()
                t.column("time", .integer).notNull()
                t.column("signature", .blob).notNull()
            }
        }
        // Uploads are written once, in place (issue 12 item 3). Before, an
        // upload was staged in upload_chunk and copied into
        // attachment_chunk when complete: two copies, and a 200 MiB
        // attachment left about 4x its size on disk. Now a reservation row
        // (`upload`) takes a slot when the upload starts, its chunks go
        // straight into attachment_chunk under the id the attachment will
        // get, and completing it only inserts the attachment row. So
        // attachment_chunk no longer references attachment (a chunk exists
        // before its attachment does); triggers keep the cascades.
        migrator.registerMigration(uploadsInPlaceMigration) { db in
            try db.create(table: "upload") { t in
                t.primaryKey("id", .blob)
                t.column("tip_id", .blob).notNull().indexed().references("tip", onDelete: .cascade)
                t.column("encrypted_size", .integer).notNull()
                t.column("started_at", .integer).notNull()
            }
            try db.create(table: "attachment_chunk_v3") { t in
                t.column("attachment_id", .blob).notNull()
                t.column("idx", .integer).notNull()
                t.column("data", .blob).notNull()
                t.primaryKey(["attachment_id", "idx"])
            }
            try db.execute(sql: "INSERT INTO attachment_chunk_v3 (attachment_id, idx, data) SELECT attachment_id, idx, data FROM attachment_chunk")
            try db.drop(table: "attachment_chunk")
            try db.rename(table: "attachment_chunk_v3", to: "attachment_chunk")
            try db.drop(table: "upload_chunk")
            try db.execute(sql: """
                CREATE TRIGGER attachment_chunks_go_with_attachment AFTER DELETE ON attachment
                BEGIN DELETE FROM attachment_chunk WHERE attachment_id = OLD.id; END;
                CREATE TRIGGER upload_chunks_go_with_upload AFTER DELETE ON upload
                WHEN NOT EXISTS (SELECT 1 FROM attachment WHERE id = OLD.id)
                BEGIN DELETE FROM attachment_chunk WHERE attachment_id = OLD.id; END;
                """)
        }
        // One tip per mailbox (issue 13): TipStore.insertTip refuses a
        // second; the index makes the rule the database's own. A store from
        // before the rule that already holds a shared mailbox keeps it (its
        // tips are not deleted), and only the check in insertTip applies.
        migrator.registerMigration(uniqueMailboxesMigration) { db in
            let shared = try Bool.fetchOne(db, sql: "SELECT 1 FROM tip GROUP BY mailbox_id HAVING COUNT(*) > 1 LIMIT 1") ?? false
            if !shared {
                try db.execute(sql: "CREATE UNIQUE INDEX tip_mailbox_unique ON tip (mailbox_id)")
            }
        }
        // Spent proof-of-work challenges and request nonces (issue 13): kept
        // until they could no longer be accepted anyway, so that a restart
        // does not make a captured request or a spent challenge good again.
        migrator.registerMigration(spentTokensMigration) { db in
            try db.create(table: "spent_token") { t in
                t.primaryKey("token", .blob)
                t.column("until", .integer).notNull()
            }
        }
        // Responders' signed receiving keys (issue 15): the statement as
        // published, and the columns the server selects by, which the audit
        // checks against the statement (PROTOCOL.md §15.1).
        migrator.registerMigration(receivingKeysMigration) { db in
            try db.create(table: "receiving_key") { t in
                t.primaryKey("key_id", .blob)
                t.column("responder_id", .blob).notNull().indexed()
                t.column("statement", .blob).notNull()
                t.column("not_before", .integer).notNull()
                t.column("not_after", .integer).notNull().indexed()
                t.column("audit_seq", .integer).notNull()
            }
        }
        return migrator
    }
}
