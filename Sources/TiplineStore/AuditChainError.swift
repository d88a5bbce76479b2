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
    /// A stored record has no audit entry.
    case recordWithoutEntry(subject: [UInt8])
    /// The signed head does not match the chain, or its signature is invalid.
    case headMismatch

    public var description: String {
        switch self {
        case .entryAltered(let s): "audit entry \(s) was altered"
        case .brokenLink(let s): "audit entry \(s) does not link to the entry before it"
        case .sequenceGap(let e, let f): "audit entry \(e) is missing (found \(f))"
        case .recordAltered(let s): "the record of audit entry \(s) was altered"
        case .recordWithoutEntry: "a stored record has no audit entry"
        case .headMismatch: "the signed audit head does not match the chain"
        }
    }
}
