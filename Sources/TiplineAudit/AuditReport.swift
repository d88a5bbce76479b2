import Foundation
import TiplineClient

/// Everything one audit found: a row per check, in ``AuditCheck`` order.
/// It renders as a text table for people and encodes as JSON for scripts;
/// the JSON keys (`organisation`, `time`, `passed`, `checks`, and each
/// check's `name`, `status`, `detail`; with `--db`, `envelopeFormats`) are
/// part of the interface.
public struct AuditReport: Codable, Sendable, Equatable {
    /// The pinned organisation fingerprint, as given.
    public let organisation: String
    /// The auditor's clock when the checks ran, Unix seconds.
    public let time: UInt64
    public let checks: [AuditCheckResult]
    /// The signed head this audit verified (server identity and audit chain
    /// passed, and it continues every head seen before), to keep for the
    /// next run: `--expect-head SEQ:HASH` takes it back.
    public let head: KnownHead?
    /// The key id of the server key the trusted bundle in force names.
    public let serverKeyId: String?
    /// With `--db`: how many stored envelopes are of each format, keyed by
    /// the format byte in decimal (`"1"`, `"2"`); formats with none are
    /// left out. `nil` when the database was not read.
    public let envelopeFormats: [String: Int]?

    public init(organisation: String, time: UInt64, checks: [AuditCheckResult], head: KnownHead? = nil,
                serverKeyId: String? = nil, envelopeFormats: [String: Int]? = nil) {
        self.organisation = organisation
        self.time = time
        self.checks = checks
        self.head = head
        self.serverKeyId = serverKeyId
        self.envelopeFormats = envelopeFormats
    }

    /// True only when no check failed. Skipped checks are either optional
    /// inputs not given or follow from a failure that is itself reported.
    public var passed: Bool { !checks.contains { $0.status == .fail } }

    /// The results of one check (the keystore check has a row per file).
    public func results(_ check: AuditCheck) -> [AuditCheckResult] { checks.filter { $0.name == check.rawValue } }

    private enum CodingKeys: String, CodingKey {
        case organisation, time, passed, checks, head, serverKeyId, envelopeFormats
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        organisation = try container.decode(String.self, forKey: .organisation)
        time = try container.decode(UInt64.self, forKey: .time)
        checks = try container.decode([AuditCheckResult].self, forKey: .checks)
        head = try container.decodeIfPresent(KnownHead.self, forKey: .head)
        serverKeyId = try container.decodeIfPresent(String.self, forKey: .serverKeyId)
        envelopeFormats = try container.decodeIfPresent([String: Int].self, forKey: .envelopeFormats)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(organisation, forKey: .organisation)
        try container.encode(time, forKey: .time)
        try container.encode(passed, forKey: .passed)
        try container.encode(checks, forKey: .checks)
        try container.encodeIfPresent(head, forKey: .head)
        try container.encodeIfPresent(serverKeyId, forKey: .serverKeyId)
        try container.encodeIfPresent(envelopeFormats, forKey: .envelopeFormats)
    }

    /// Pretty-printed JSON with sorted keys, so two runs over the same state
    /// give the same bytes.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// A table: check, status, detail; a detail's further lines are indented
    /// under the first; then a summary line.
    public func table() -> String {
        let nameWidth = max(checks.map(\.name.count).max() ?? 0, "CHECK".count)
        let statusWidth = 6
        func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(width - text.count, 0)) }
        var lines = [pad("CHECK", nameWidth) + "  " + pad("STATUS", statusWidth) + "  DETAIL"]
        for check in checks {
            let detail = check.detail.split(separator: "\n", omittingEmptySubsequences: false)
            lines.append(pad(check.name, nameWidth) + "  " + pad(check.status.rawValue.uppercased(), statusWidth) + "  "
                         + (detail.first.map(String.init) ?? ""))
            for more in detail.dropFirst() {
                lines.append(String(repeating: " ", count: nameWidth + statusWidth + 4) + more)
            }
        }
        let count = { (status: AuditCheckStatus) in checks.filter { $0.status == status }.count }
        lines.append("")
        lines.append("\(passed ? "PASSED" : "FAILED"): \(count(.pass)) passed, \(count(.fail)) failed, \(count(.skip)) skipped")
        return lines.joined(separator: "\n") + "\n"
    }
}
