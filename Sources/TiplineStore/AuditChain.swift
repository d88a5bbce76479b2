import TiplineCrypto

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

    /// Checks signed heads against a verified chain: each is signed by
    /// `serverKey` and names an entry the chain has with that entry's hash,
    /// and the newest covers the chain's last entry.
    public static func verify(heads: [AuditHead], against entries: [AuditEntry],
                              serverKey: SigningPublicKey) throws(AuditChainError) {
        for head in heads {
            guard head.isSigned(by: serverKey) else { throw .headSignatureInvalid(sequence: head.sequence) }
            let expected: [UInt8]? = head.sequence == 0 ? AuditEntry.genesis
                : head.sequence <= UInt64(entries.count) ? entries[Int(head.sequence) - 1].entryHash : nil
            guard head.headHash == expected else { throw .headMismatch(sequence: head.sequence) }
        }
        let newest = heads.map(\.sequence).max()
        guard newest == UInt64(entries.count) else { throw .unsignedEntries(after: newest ?? 0) }
    }
}
