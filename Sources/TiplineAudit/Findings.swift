/// Collects the failures of one check, each naming its record and reason,
/// and turns them into the check's row.
struct Findings {
    private(set) var failures: [String] = []

    var isEmpty: Bool { failures.isEmpty }

    mutating func fail(_ line: String) { failures.append(line) }

    /// Passes with `passDetail` when nothing failed; otherwise fails with a
    /// count, then every failure on its own line (an auditor needs all of
    /// them, not the first).
    func result(_ check: AuditCheck, pass passDetail: String) -> AuditCheckResult {
        guard !failures.isEmpty else { return AuditCheckResult(check, .pass, passDetail) }
        let heading = failures.count == 1 ? "1 failure:" : "\(failures.count) failures:"
        return AuditCheckResult(check, .fail, ([heading] + failures).joined(separator: "\n"))
    }
}
