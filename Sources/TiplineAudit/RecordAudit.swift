import TiplineStore

/// Check 9: every stored record matches the payload hash its audit entry
/// recorded, has an entry of its own, and no entry's record has vanished
/// without a purge. The rules are the store's own
/// (``AuditSnapshot/recordProblems()``, which `TipStore.verifyAudit` uses),
/// applied here to a read-only snapshot and reported in full.
struct RecordAudit {
    let store: StoreEvidence

    func result() -> AuditCheckResult {
        var findings = Findings()
        let entries = Dictionary(store.audit.entries.map { ($0.sequence, $0) }, uniquingKeysWith: { a, _ in a })
        for problem in store.audit.recordProblems() {
            switch (problem.error, problem.record) {
            case (.recordAltered(let sequence), let record?):
                findings.fail("\(AuditText.record(record)): its bytes do not match the payload hash audit entry \(sequence) recorded")
            case (.recordWithoutEntry, let record?):
                let kind = AuditKind(rawValue: record.kind).map(\.description) ?? "kind \(record.kind)"
                findings.fail("\(AuditText.record(record)): audit entry \(record.sequence) is not a \(kind) entry naming it, so it has no entry")
            case (.columnAltered(let sequence, let column), let record?):
                findings.fail("\(AuditText.record(record)): its \(AuditText.column(column, of: record)) does not match what audit entry \(sequence) recorded")
            case (.entryWithoutRecord(let sequence), _):
                let entry = entries[sequence]
                findings.fail("""
                    audit entry \(sequence) (\(entry.map(\.kind.description) ?? "?") of \(AuditText.hex(entry?.subject ?? []))): \
                    its record is missing and no purge accounts for it
                    """)
            case (let error, _):
                findings.fail("\(error)")
            }
        }
        let records = store.audit.records
        func count(_ table: AuditedRecord.Table) -> Int { records.filter { $0.table == table }.count }
        let legacy = store.audit.legacyRecords().count
        let legacyNote = legacy == 0 ? "" : """
            ; \(legacy == 1 ? "1 record was" : "\(legacy) records were") stored before every column was bound \
            (PROTOCOL.md §15.1), so only \(legacy == 1 ? "its" : "their") envelope or content hash is covered
            """
        return findings.result(.records, pass: """
            \(AuditText.counts([(count(.tip), "tip", "tips"), (count(.event), "event", "events"),
                                (count(.attachment), "attachment", "attachments"), (count(.bundle), "bundle", "bundles")])) \
            match the payload hashes of their audit entries in every column that carries authority or evidence, \
            and every attachment's chunks hash to its content hash; no entry's record is missing\(legacyNote)
            """)
    }
}
