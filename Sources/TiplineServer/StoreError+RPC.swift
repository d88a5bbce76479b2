import TiplineRPC
import TiplineStore

extension StoreError {
    /// The status a peer sees for a store failure; the text reveals nothing internal.
    var rpcError: RPCError {
        switch self {
        case .notFound: RPCError(.notFound, "not found")
        case .bundleNotNewer(let current, let offered):
            RPCError(.failedPrecondition, "key bundle version \(offered) is not newer than \(current)")
        case .outOfRange: RPCError(.invalidArgument, description)
        case .alreadySpent: RPCError(.alreadyExists, "this proof of work was already spent")
        case .receivingKeyKnown: RPCError(.alreadyExists, "this receiving key is published already")
        case .tooManyReceivingKeys(let limit):
            RPCError(.resourceExhausted, "you already have \(limit) receiving keys that have not expired; wait for one to expire")
        case .mailboxTaken:
            RPCError(.alreadyExists, "a tip is already filed under this mailbox key; a new tip needs a new codename")
        case .cannotOpen, .unsignedAuditEntries, .writeNotRun: RPCError(.internal, "internal error")
        }
    }
}
