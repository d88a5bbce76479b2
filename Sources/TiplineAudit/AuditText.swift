import Foundation
import TiplineCrypto
import TiplineStore

/// How the report names things: records by full hex id (so an auditor can
/// find the row), bundles by version and a short id, times in UTC.
enum AuditText {
    static func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }

    /// The first 8 bytes of a 32-byte id, enough to tell bundles apart in prose.
    static func short(_ bytes: [UInt8]) -> String { Hex.encode(bytes.prefix(8)) + (bytes.count > 8 ? "…" : "") }

    static func bundle(_ signed: SignedKeyBundle) -> String {
        "bundle version \(signed.unverifiedBundle.version) (id \(short(signed.id)))"
    }

    static func inForce(_ signed: SignedKeyBundle) -> String {
        "the bundle in force (version \(signed.unverifiedBundle.version), id \(short(signed.id)))"
    }

    static func date(_ seconds: UInt64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(min(seconds, 253_402_300_799))))
    }

    /// 8192 → "8 KiB", 268435456 → "256 MiB".
    static func size(_ bytes: UInt64) -> String {
        if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }

    static func parameters(_ p: KeystoreParameters) -> String {
        "Argon2id13, opslimit \(p.opsLimit), memlimit \(size(p.memLimit))"
    }

    /// The envelope kind an event row of this audit kind must hold.
    static func envelopeKind(ofEvent kind: Int64) -> EnvelopeKind? {
        switch kind {
        case Int64(AuditKind.triageEvent.rawValue): .triageEvent
        case Int64(AuditKind.reply.rawValue): .reply
        case Int64(AuditKind.followUp.rawValue): .followUp
        default: nil
        }
    }

    static func tip(_ tip: StoredTip) -> String { "tip \(hex(tip.id)) (audit entry \(tip.auditSequence))" }

    static func event(_ event: StoredEvent) -> String {
        let kind = envelopeKind(ofEvent: event.kind).map(\.description) ?? "event of unknown kind \(event.kind)"
        return "\(kind) on tip \(hex(event.tipId)) (audit entry \(event.sequence))"
    }

    static func record(_ record: AuditedRecord) -> String {
        switch record.table {
        case .tip: "tip \(hex(record.subject)) (audit entry \(record.sequence))"
        case .event:
            "\(envelopeKind(ofEvent: Int64(record.kind)).map(\.description) ?? "event") on tip \(hex(record.subject)) (audit entry \(record.sequence))"
        case .bundle: "bundle \(short(record.subject)) (audit entry \(record.sequence))"
        case .attachment: "attachment \(hex(record.subject)) (audit entry \(record.sequence))"
        case .receivingKey: "receiving key \(hex(record.subject)) (audit entry \(record.sequence))"
        }
    }

    /// A column named in a finding, with what it is checked against.
    static func column(_ column: String, of record: AuditedRecord) -> String {
        switch column {
        case "received_at": "received_at (the entry's time)"
        case "actor": "actor (the entry's actor)"
        case "expires_at": "expires_at (the newest expiry entry for the tip)"
        case "version", "bundle_id": "\(column) column (the signed bundle's own)"
        case "key_id", "responder_id", "not_before", "not_after": "\(column) column (the signed statement's own)"
        case "attachment_chunk rows": "stored chunks (numbered from 0, adding up to encrypted_size, hashing to content_hash)"
        default: "\(column) column"
        }
    }

    /// "5 envelopes: 4 in format 2, 1 in format 1", newest format first;
    /// "no envelopes stored" when there are none.
    static func formatCounts(_ counts: [EnvelopeFormat: Int]) -> String {
        let total = counts.values.reduce(0, +)
        guard total > 0 else { return "no envelopes stored" }
        let parts = EnvelopeFormat.allCases.reversed().compactMap { format in
            counts[format].map { "\($0) in \(format)" }
        }
        return "\(total) envelope\(total == 1 ? "" : "s"): \(parts.joined(separator: ", "))"
    }

    /// "3 tips, 1 reply": counts of what was checked, zeros left out.
    static func counts(_ items: [(count: Int, one: String, many: String)]) -> String {
        let parts = items.filter { $0.count > 0 }.map { "\($0.count) \($0.count == 1 ? $0.one : $0.many)" }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }
}
