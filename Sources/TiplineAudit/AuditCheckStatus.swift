/// The outcome of one audit check.
public enum AuditCheckStatus: String, Codable, Sendable, CaseIterable {
    /// The check holds.
    case pass
    /// The check does not hold; the detail names each record and why.
    case fail
    /// The check was not made: its input was not given (no `--db`), or a
    /// check it depends on already failed. A skip never makes a run pass
    /// that would otherwise fail, because the failed check is reported too.
    case skip
}
