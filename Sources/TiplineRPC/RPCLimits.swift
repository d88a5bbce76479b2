import NIOCore

/// Every limit the server enforces (PROTOCOL.md §12). The defaults are safe
/// for a public onion service; tests shrink them to make limits observable.
public struct RPCLimits: Sendable {
    /// Largest frame payload, checked from the length prefix before buffering.
    public var maximumFrameSize = 1 << 20
    /// Largest CALL_START metadata, in bytes.
    public var maximumMetadataSize = 8 * 1024
    /// Calls open at once on one connection; more get RESOURCE_EXHAUSTED.
    public var maximumConcurrentCalls = 1024
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
    /// How long graceful shutdown waits for in-flight calls.
    public var shutdownGracePeriod: TimeAmount = .seconds(10)

    public init() {}
}
