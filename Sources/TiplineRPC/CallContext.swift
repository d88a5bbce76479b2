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
}
