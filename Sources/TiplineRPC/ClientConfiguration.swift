import NIOCore

/// Client-side settings.
public struct ClientConfiguration: Sendable {
    /// The largest frame the client accepts from the server.
    public var maximumFrameSize = 1 << 20
    /// Time allowed for the TCP (and TLS) connection to be set up.
    public var connectTimeout: TimeAmount = .seconds(30)
    /// When set, the client pings this often and closes the connection when
    /// an answer takes longer than ``keepaliveTimeout``.
    public var keepaliveInterval: TimeAmount?
    public var keepaliveTimeout: TimeAmount = .seconds(20)
    /// Response messages buffered per call before the client stops reading.
    public var maximumBufferedMessagesPerCall = 16
    /// The local address to connect from; `nil` lets the system choose. Tests
    /// use a distinctive loopback address to prove the server stores none.
    public var sourceAddress: String?

    public init() {}
}
