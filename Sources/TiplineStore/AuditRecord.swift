import TiplineCrypto

/// The bytes an audit entry's `payload_hash` covers for each kind of record
/// (PROTOCOL.md §15.1): every stored column that grants access, names an
/// author or a tip, dates something, or is evidence, and that the entry
/// itself does not already carry (the subject, the actor and the time are
/// fields of the entry).
///
/// Until issue 13 a tip's entry hashed only its envelope, and an
/// attachment's only its content hash: someone with the disk could swap a
/// tip's mailbox key or move an attachment to another tip and the audit
/// still passed. Those version-1 payload hashes are still recognised
/// (``legacyTipHash(envelope:)``, ``legacyAttachmentHash(contentHash:)``)
/// so that stores written before still verify, and the auditor reports
/// how many of their records are covered only that far.
public enum AuditRecord {
    /// The label of a record hash: distinct from the version-1 payload label,
    /// so that no record hash can be mistaken for a version-1 one.
    public static let label = "tipline/v1/audit-record"

    /// `H_32("tipline/v1/audit-record", u8(1) || H_32("tipline/v1/audit-payload", envelope)
    ///  || u64(padded_length) || short(mailbox_id) || short(mailbox_key) || u64(bundle_version)
    ///  || u64(attachment_slots) || short(upload_token_hash, empty when none))`
    public static func tipHash(envelope: [UInt8], paddedLength: UInt64, mailboxId: [UInt8], mailboxKey: [UInt8],
                               bundleVersion: UInt64, attachmentSlots: UInt64, uploadTokenHash: [UInt8]?) -> [UInt8] {
        var w = ByteWriter(capacity: 192)
        w.write(AuditKind.tipSubmitted.rawValue)
        w.write(AuditEntry.payloadHash(of: envelope))
        w.write(paddedLength)
        w.writeShortString(mailboxId)
        w.writeShortString(mailboxKey)
        w.write(bundleVersion)
        w.write(attachmentSlots)
        w.writeShortString(uploadTokenHash ?? [])
        return DomainHash.hash(label, w.bytes)
    }

    /// `H_32("tipline/v1/audit-record", u8(2) || short(content_hash) || short(tip_id) || u64(encrypted_size))`
    public static func attachmentHash(contentHash: [UInt8], tipId: [UInt8], encryptedSize: UInt64) -> [UInt8] {
        var w = ByteWriter(capacity: 96)
        w.write(AuditKind.attachmentStored.rawValue)
        w.writeShortString(contentHash)
        w.writeShortString(tipId)
        w.write(encryptedSize)
        return DomainHash.hash(label, w.bytes)
    }

    /// A tip's payload hash as version 1 wrote it: its envelope only.
    public static func legacyTipHash(envelope: [UInt8]) -> [UInt8] { AuditEntry.payloadHash(of: envelope) }

    /// An attachment's payload hash as version 1 wrote it: its content hash only.
    public static func legacyAttachmentHash(contentHash: [UInt8]) -> [UInt8] { AuditEntry.payloadHash(of: contentHash) }

    /// An expiry entry's payload hash: `H_32("tipline/v1/audit-payload", u64(expires_at))`, 0 for none.
    public static func expiryHash(_ expiresAt: UInt64) -> [UInt8] {
        var w = ByteWriter(capacity: 8)
        w.write(expiresAt)
        return AuditEntry.payloadHash(of: w.bytes)
    }
}
