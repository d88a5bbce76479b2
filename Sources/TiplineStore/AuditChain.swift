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

    /// Checks that a chain ending at `head` grew from a head seen earlier
    /// (`sequence`, `hash`) without losing or changing anything: `entries`
    /// are the chain's entries from `sequence` on (as many as the caller
    /// has; the entry at `sequence` first), each recomputed and linked to
    /// the one before, and the last one is `head`.
    ///
    /// This is what detects a history cut back together with the heads that
    /// covered it (SECURITY.md N12): only someone who kept an older head can.
    public static func verifyContinuation(from sequence: UInt64, hash: [UInt8], entries: [AuditEntry],
                                          to head: AuditHead) throws(AuditChainError) {
        guard head.sequence >= sequence else { throw .historyShortened(remembered: sequence, now: head.sequence) }
        // Nothing written since: the signed head itself must be the one seen.
        if head.sequence == sequence {
            guard head.headHash == hash else { throw .historyRewritten(at: sequence) }
            return
        }
        if sequence == 0 {
            guard hash == AuditEntry.genesis else { throw .historyRewritten(at: 0) }
            if head.sequence == 0 { return }
        }
        var expected = sequence == 0 ? 1 : sequence
        var previous: [UInt8]? = sequence == 0 ? AuditEntry.genesis : nil
        for entry in entries {
            guard entry.sequence == expected else { throw .sequenceGap(expected: expected, found: entry.sequence) }
            let recomputed = AuditEntry.hash(sequence: entry.sequence, time: entry.time, kind: entry.kind.rawValue,
                                             subject: entry.subject, actor: entry.actor,
                                             payloadHash: entry.payloadHash, previousHash: entry.previousHash)
            guard recomputed == entry.entryHash else { throw .entryAltered(sequence: entry.sequence) }
            if let previous {
                guard entry.previousHash == previous else { throw .brokenLink(sequence: entry.sequence) }
            } else {
                // The remembered entry itself: its hash must be the one seen.
                guard entry.entryHash == hash else { throw .historyRewritten(at: sequence) }
            }
            previous = entry.entryHash
            if entry.sequence == head.sequence {
                guard entry.entryHash == head.headHash else { throw .headMismatch(sequence: head.sequence) }
                return
            }
            expected += 1
        }
        throw .sequenceGap(expected: expected, found: 0)
    }
}
