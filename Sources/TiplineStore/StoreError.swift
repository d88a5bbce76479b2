/// Why a store operation failed, in terms a handler can map to a status.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No tip (or attachment) with this id.
    case notFound
    /// A bundle with this version or id exists already.
    case bundleNotNewer(current: UInt64, offered: UInt64)
    /// The database could not be opened or migrated.
    case cannotOpen(String)
    /// The audit chain has entries after the newest signed head: someone
    /// without the server's key appended them. The store will not sign them.
    case unsignedAuditEntries(after: UInt64)
    /// A write was resumed without having run: a defect in the store, never
    /// expected; reported rather than trapping so the server keeps serving.
    case writeNotRun
    /// An integer argument is outside what the store can hold (SQLite
    /// INTEGER is signed 64-bit): refused before any conversion could trap.
    case outOfRange(String)
    /// A tip is already filed under this mailbox key. Mailboxes are unique:
    /// whoever learnt a tipster's mailbox public key must not be able to
    /// file a second tip under it and so share in its replies and follow-ups.
    case mailboxTaken
    /// A proof-of-work challenge or request nonce was spent before (and is
    /// still within the time it could be accepted).
    case alreadySpent
    /// This receiving key is stored already.
    case receivingKeyKnown
    /// The responder already has as many unexpired receiving keys as allowed.
    case tooManyReceivingKeys(limit: Int)

    public var description: String {
        switch self {
        case .notFound: "not found"
        case .bundleNotNewer(let current, let offered): "bundle version \(offered) is not newer than \(current)"
        case .cannotOpen(let reason): "cannot open the store: \(reason)"
        case .writeNotRun: "the write was not run"
        case .mailboxTaken: "a tip is already filed under this mailbox key"
        case .alreadySpent: "already spent"
        case .receivingKeyKnown: "this receiving key is published already"
        case .tooManyReceivingKeys(let limit): "the responder already has \(limit) receiving keys that have not expired"
        case .outOfRange(let field): "\(field) is out of range (at most \(Int64.max))"
        case .unsignedAuditEntries(let s):
            "the audit chain has entries after \(s) that the server never signed; someone without its key changed the store. Run tipline audit --db and investigate before serving"
        }
    }
}
