/// The shapes of call the protocol carries.
public enum RPCMethodKind: Sendable {
    /// One request, one response.
    case unary
    /// A stream of requests, one response.
    case clientStreaming
    /// One request, a stream of responses.
    case serverStreaming
}
