/// Verifies a run of audit entries read from a store or fetched from a server.
public enum AuditChain {
    /// Checks, entry by entry from sequence 1: consecutive sequence numbers,
    /// each stored hash against its fields, each link against the entry before.
    /// Returns the head (last entry), or `nil` for an empty chain.
    @discardableResult
    public static func verify(_ entries: [AuditEntry]) throws(AuditChainError) -> AuditEntry? {
        var previous = AuditEntry.genesis
        for (index, entry) in entries.enumerated() {
            let expected = UInt64(index + 1)
            guard entry.sequence == expected else { throw .sequenceGap(expected: expected, found: entry.sequence) }
            let recomputed = AuditEntry.hash(sequence: entry.sequence, time: entry.time, kind: entry.kind.rawValue,
                                             subject: entry.subject, actor: entry.actor,
                                             payloadHash: entry.payloadHash, previousHash: entry.previousHash)
            guard recomputed == entry.entryHash else { throw .entryAltered(sequence: entry.sequence) }
            guard entry.previousHash == previous else { throw .brokenLink(sequence: entry.sequence) }
            previous = entry.entryHash
        }
        return entries.last
    }
}
