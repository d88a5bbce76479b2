import NIOCore

/// What a handler knows about its call. It carries no peer address: Tipline
/// never lets a client's address reach application code, logs or storage.
public struct CallContext: Sendable {
    /// `/package.Service/Method`.
    public let method: String
    /// The client's metadata (request signatures live here).
    public let metadata: Metadata
    /// When the call's deadline passes, if it has one.
    public let deadline: NIODeadline?
    /// The single request message's bytes as received (unary and
    /// server-streaming calls), so that a signature over them can be checked
    /// without trusting a re-encoding.
    public internal(set) var requestBytes: [UInt8] = []

    init(method: String, metadata: Metadata, deadline: NIODeadline?) {
        self.method = method
        self.metadata = metadata
        self.deadline = deadline
    }
}
