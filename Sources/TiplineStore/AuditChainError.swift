/// Why an audit chain does not verify. Each case names the entry where the
/// chain first goes wrong.
public enum AuditChainError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An entry's stored hash is not the hash of its fields: the entry was changed.
    case entryAltered(sequence: UInt64)
    /// An entry does not link to the hash of the one before: an entry before
    /// it was deleted, replaced or moved.
    case brokenLink(sequence: UInt64)
    /// Sequence numbers are not consecutive from 1: an entry was deleted or inserted.
    case sequenceGap(expected: UInt64, found: UInt64)
    /// A record's bytes do not match the payload hash its entry recorded.
    case recordAltered(sequence: UInt64)
    /// A column of a record that repeats its entry or another record (its
    /// time, actor, expiry, a bundle's version, an attachment's chunks)
    /// differs from it, or holds a value of the wrong type.
    case columnAltered(sequence: UInt64, column: String)
    /// A stored record has no audit entry.
    case recordWithoutEntry(subject: [UInt8])
    /// An entry's record is gone and no purge accounts for it: the record was deleted.
    case entryWithoutRecord(sequence: UInt64)
    /// A signed head names a sequence or hash the chain does not have: the
    /// chain was cut back or rewritten after the server signed it.
    case headMismatch(sequence: UInt64)
    /// A head's signature is not the server's.
    case headSignatureInvalid(sequence: UInt64)
    /// Entries after the newest signed head: rows appended without the server's key.
    case unsignedEntries(after: UInt64)
    /// The chain now ends before a head seen earlier: its end was cut off.
    case historyShortened(remembered: UInt64, now: UInt64)
    /// The entry a head seen earlier named is no longer the one it named.
    case historyRewritten(at: UInt64)

    public var description: String {
        switch self {
        case .entryAltered(let s): "audit entry \(s) was altered"
        case .brokenLink(let s): "audit entry \(s) does not link to the entry before it"
        case .sequenceGap(let e, let f): "audit entry \(e) is missing (found \(f))"
        case .recordAltered(let s): "the record of audit entry \(s) was altered"
        case .columnAltered(let s, let column): "the \(column) of the record of audit entry \(s) was altered"
        case .recordWithoutEntry: "a stored record has no audit entry"
        case .entryWithoutRecord(let s): "the record of audit entry \(s) was deleted"
        case .headMismatch(let s): "the signed audit head at \(s) does not match the chain"
        case .headSignatureInvalid(let s): "the audit head at \(s) is not signed by the server's key"
        case .historyShortened(let remembered, let now):
            "the audit chain now ends at entry \(now), but it had reached entry \(remembered) before: its end was cut off"
        case .historyRewritten(let s): "audit entry \(s) is not the entry seen there before: the history was rewritten"
        case .unsignedEntries(let s): "audit entries after \(s) are not covered by a signed head"
        }
    }
}
