/// Why a store operation failed, in terms a handler can map to a status.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No tip (or attachment) with this id.
    case notFound
    /// A bundle with this version or id exists already.
    case bundleNotNewer(current: UInt64, offered: UInt64)
    /// The database could not be opened or migrated.
    case cannotOpen(String)

    public var description: String {
        switch self {
        case .notFound: "not found"
        case .bundleNotNewer(let current, let offered): "bundle version \(offered) is not newer than \(current)"
        case .cannotOpen(let reason): "cannot open the store: \(reason)"
        }
    }
}
