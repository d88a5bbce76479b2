/// One way the stored records and the audit chain disagree, with the record
/// concerned when there is one (an entry whose record is gone has none).
public struct AuditRecordProblem: Sendable, Equatable {
    public let error: AuditChainError
    public let record: AuditedRecord?

    public init(_ error: AuditChainError, record: AuditedRecord?) {
        self.error = error
        self.record = record
    }
}
