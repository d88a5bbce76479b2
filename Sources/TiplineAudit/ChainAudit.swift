import TiplineClient
import TiplineCrypto
import TiplineProto
import TiplineStore

/// Checks 5 and 10: the chain the server served, and the database's chain
/// against it, with the signed heads.
struct ChainAudit {
    let served: ServerEvidence
    /// The server key the trusted bundle in force names, if there is one.
    let serverKey: SigningPublicKey?

    /// The served log as entries, and a line for each entry whose kind this
    /// auditor does not know (kept in place, so the chain then fails there too).
    static func entries(_ log: [Tipline_V1_AuditEntry]) -> (entries: [AuditEntry], unknown: [String]) {
        let unknown = log.filter { AuditEntry.kind(served: $0) == nil }.map { "audit entry \($0.sequence) has unknown kind \($0.kind)" }
        return (log.map(AuditEntry.init(served:)), unknown)
    }

    // MARK: 5. audit chain

    func servedChain() -> AuditCheckResult {
        let log: [Tipline_V1_AuditEntry]
        switch served.auditLog {
        case .failure(let error): return AuditCheckResult(.auditChain, .fail, "GetAuditLog failed: \(error)")
        case .success(let entries): log = entries
        }
        var findings = Findings()
        let (entries, unknown) = Self.entries(log)
        unknown.forEach { findings.fail($0) }
        do { try AuditChain.verify(entries) } catch { findings.fail("the served log: \(error)") }
        let last = entries.last
        let lastSequence = last?.sequence ?? 0
        switch served.auditHead {
        case .failure(let error):
            findings.fail("GetAuditHead failed: \(error)")
        case .success(let head):
            if head.sequence > lastSequence {
                findings.fail("the signed head is at sequence \(head.sequence), but the log the server served ends at \(lastSequence)")
            } else if head.sequence < lastSequence {
                findings.fail("audit entries \(head.sequence + 1) to \(lastSequence) are not covered by the signed head (at \(head.sequence))")
            } else if head.headHash != (last?.entryHash ?? AuditEntry.genesis) {
                findings.fail("the signed head's hash for entry \(head.sequence) is not the hash of the served entry \(head.sequence)")
            }
        }
        let hash = AuditText.short(last?.entryHash ?? AuditEntry.genesis)
        return findings.result(.auditChain, pass: entries.isEmpty
            ? "the log is empty and the signed head is the empty chain's"
            : "\(entries.count) entries verify, linked from entry 1 to \(lastSequence); the last matches the signed head (hash \(hash))")
    }

    // MARK: 6. history since the last audit

    /// Every head seen before must be an entry of the served chain, with the
    /// same hash, and the chain must run on from it, linked, to the signed
    /// head. This is the only check that sees a history cut back together
    /// with the heads that covered it.
    func history(known: [(head: KnownHead, source: String)]) -> AuditCheckResult {
        guard case .success(let log) = served.auditLog, case .success(let head) = served.auditHead else {
            return AuditCheckResult(.history, .skip, "not checked: the server's log or head could not be fetched (see audit chain)")
        }
        let current = "\(head.sequence):\(AuditText.hex(head.headHash))"
        guard !known.isEmpty else {
            return AuditCheckResult(.history, .skip, """
                nothing to compare: no head of this server was seen before from here, and no --expect-head was given; \
                this run's head is \(current)
                """)
        }
        var findings = Findings()
        let entries = Self.entries(log).entries
        for (seen, source) in known {
            guard let hash = seen.hashBytes else {
                findings.fail("\(source): the remembered hash is not 32 bytes of hex")
                continue
            }
            let from = entries.drop { $0.sequence < seen.sequence }
            do {
                try AuditChain.verifyContinuation(from: seen.sequence, hash: hash, entries: Array(from), to: head)
            } catch {
                findings.fail("\(source) (entry \(seen.sequence)): \(error)")
            }
        }
        let sources = known.map { "\($0.source) (entry \($0.head.sequence))" }.joined(separator: "; ")
        return findings.result(.history, pass: """
            the chain grew from \(sources) to entry \(head.sequence) without a cut or a change; this run's head is \(current)
            """)
    }

    // MARK: 10. db chain vs server

    func storeChain(_ store: StoreEvidence) -> AuditCheckResult {
        var findings = Findings()
        let stored = store.audit.entries
        do { try AuditChain.verify(stored) } catch { findings.fail("the database's chain: \(error)") }
        // The copy may be older than the server's answer (a prefix of it) or,
        // for the live file, newer (extending it); it may never differ.
        var relation = ""
        switch served.auditLog {
        case .failure(let error):
            findings.fail("not compared with the server: GetAuditLog failed: \(error)")
        case .success(let log):
            let servedEntries = Self.entries(log).entries
            if let index = zip(stored, servedEntries).enumerated()
                .first(where: { $0.element.0.sequence != $0.element.1.sequence || $0.element.0.entryHash != $0.element.1.entryHash })?.offset {
                findings.fail("the database and the server disagree from audit entry \(index + 1) on")
            }
            relation = stored.count == servedEntries.count ? "equal the server's"
                : stored.count < servedEntries.count ? "are a prefix of the server's \(servedEntries.count) (the copy is older)"
                : "extend the server's \(servedEntries.count) (written since the server answered)"
        }
        var heads = ""
        if let stored = store.audit.heads {
            if let serverKey {
                do {
                    try AuditChain.verify(heads: stored, against: store.audit.entries, serverKey: serverKey)
                    heads = "; \(stored.count) stored signed heads verify with the server key, the newest covering entry \(store.audit.entries.count)"
                } catch {
                    findings.fail("the stored signed heads: \(error)")
                }
            } else {
                findings.fail("the stored signed heads were not checked: no bundle in force signed by the pinned organisation names the server key (see organisation)")
            }
        } else {
            heads = "; the store keeps no signed heads (a store from before PROTOCOL.md §16.3), so none were checked"
        }
        return findings.result(.storeChain, pass: "the database's \(stored.count) entries verify and \(relation)\(heads)")
    }
}
