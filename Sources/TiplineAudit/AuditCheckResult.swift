/// One row of the report: which check, its outcome, and the evidence.
public struct AuditCheckResult: Codable, Sendable, Equatable {
    /// One of ``AuditCheck``'s names, stable across releases so scripts can match on it.
    public let name: String
    public let status: AuditCheckStatus
    /// What was checked and found; for a failure, every record concerned and
    /// why, one per line.
    public let detail: String

    public init(name: String, status: AuditCheckStatus, detail: String) {
        self.name = name
        self.status = status
        self.detail = detail
    }

    init(_ check: AuditCheck, _ status: AuditCheckStatus, _ detail: String) {
        self.init(name: check.rawValue, status: status, detail: detail)
    }

    private enum CodingKeys: String, CodingKey {
        case name, status, detail
    }
}
