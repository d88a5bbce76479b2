import NIOCore

/// Every limit the server enforces (PROTOCOL.md §12). The defaults are safe
/// for a public onion service; tests shrink them to make limits observable.
public struct RPCLimits: Sendable {
    /// Largest frame payload, checked from the length prefix before buffering:
    /// 4 MiB + 64 KiB, so that the largest envelope PROTOCOL.md §4 allows
    /// (4,206,703 bytes, format 2) fits one request or answer with room for its fields.
    public static let defaultMaximumFrameSize = 4 << 20 + 64 << 10
    public var maximumFrameSize = defaultMaximumFrameSize
    /// Largest CALL_START metadata, in bytes.
    public var maximumMetadataSize = 8 * 1024
    /// Calls open at once on one connection; more get RESOURCE_EXHAUSTED.
    /// (gRPC's usual limit is 100: a client needs a handful.)
    public var maximumConcurrentCalls = 128
    /// Connections open at once; more get GOAWAY RESOURCE_EXHAUSTED and are closed.
    public var maximumConnections = 4096
    /// Time allowed from accept to a complete preface.
    public var prefaceTimeout: TimeAmount = .seconds(10)
    /// A connection with no call in flight and no frame for this long is closed.
    public var idleTimeout: TimeAmount = .seconds(120)
    /// Time allowed to finish a frame once its first byte has arrived (slow-loris).
    public var frameReadTimeout: TimeAmount = .seconds(30)
    /// Request messages buffered per call before the server stops reading.
    public var maximumBufferedMessagesPerCall = 16
    /// Bytes one call may hold that its handler has not finished with (its
    /// unread request messages, or its request while the handler runs).
    /// Reading the connection pauses while a call holds one frame's worth, so
    /// a client that honours backpressure never reaches this; more gets
    /// CALL_END RESOURCE_EXHAUSTED.
    public var maximumBufferedBytesPerCall = 8 << 20
    /// Bytes one connection may hold: its calls' bytes as above, a frame
    /// still arriving, and responses not yet handed to the socket. A message
    /// over it gets CALL_END RESOURCE_EXHAUSTED; a frame or a response over
    /// it gets GOAWAY RESOURCE_EXHAUSTED and the connection is closed.
    public var maximumBufferedBytesPerConnection = 16 << 20
    /// Bytes the whole server may hold for all connections together, counted
    /// as above; going over gets the same answers.
    public var maximumBufferedBytes = 256 << 20
    /// A call that waits on its client, and gets nothing from it for this
    /// long, is ended with DEADLINE_EXCEEDED: a client-streaming call whose
    /// next message does not come or is not taken, a server-streaming call
    /// whose response the client does not read. A connection whose responses
    /// are not read for this long is closed (GOAWAY DEADLINE_EXCEEDED).
    public var progressTimeout: TimeAmount = .seconds(60)
    /// How long graceful shutdown waits for in-flight calls.
    public var shutdownGracePeriod: TimeAmount = .seconds(10)

    public init() {}
}
