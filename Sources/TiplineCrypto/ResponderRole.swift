/// What a responder may do, as recorded in the signed bundle (proto/PROTOCOL.md §3.1).
public enum ResponderRole: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Reads, triages and replies to tips.
    case responder = 1
    /// A responder who may also manage the organisation's recipient set.
    case admin = 2

    public var description: String {
        switch self {
        case .responder: "responder"
        case .admin: "admin"
        }
    }
}
