/// Status codes, numbered and meant exactly as in gRPC (PROTOCOL.md §13).
public enum RPCStatus: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// The call succeeded.
    case ok = 0
    /// The caller cancelled the call.
    case cancelled = 1
    /// An error with no better code.
    case unknown = 2
    /// The request is malformed or fails validation.
    case invalidArgument = 3
    /// The deadline passed before the call finished.
    case deadlineExceeded = 4
    /// The thing asked for does not exist.
    case notFound = 5
    /// The thing to create exists already.
    case alreadyExists = 6
    /// The caller is authenticated but not allowed to do this.
    case permissionDenied = 7
    /// A limit was hit: size, count, rate or proof of work.
    case resourceExhausted = 8
    /// The system is not in a state that allows the call.
    case failedPrecondition = 9
    /// The call was aborted, for example by a concurrent change.
    case aborted = 10
    /// A value is out of range.
    case outOfRange = 11
    /// The method does not exist on this server.
    case unimplemented = 12
    /// An internal error; its details are never sent to the peer.
    case `internal` = 13
    /// The service is unavailable (shutting down, or overloaded); retry later.
    case unavailable = 14
    /// Data was lost.
    case dataLoss = 15
    /// The caller's credentials are missing or invalid.
    case unauthenticated = 16

    public var description: String {
        switch self {
        case .ok: "OK"
        case .cancelled: "CANCELLED"
        case .unknown: "UNKNOWN"
        case .invalidArgument: "INVALID_ARGUMENT"
        case .deadlineExceeded: "DEADLINE_EXCEEDED"
        case .notFound: "NOT_FOUND"
        case .alreadyExists: "ALREADY_EXISTS"
        case .permissionDenied: "PERMISSION_DENIED"
        case .resourceExhausted: "RESOURCE_EXHAUSTED"
        case .failedPrecondition: "FAILED_PRECONDITION"
        case .aborted: "ABORTED"
        case .outOfRange: "OUT_OF_RANGE"
        case .unimplemented: "UNIMPLEMENTED"
        case .internal: "INTERNAL"
        case .unavailable: "UNAVAILABLE"
        case .dataLoss: "DATA_LOSS"
        case .unauthenticated: "UNAUTHENTICATED"
        }
    }
}
