import NIOCore

/// Client-side settings.
public struct ClientConfiguration: Sendable {
    /// The largest frame the client accepts from the server.
    public var maximumFrameSize = RPCLimits.defaultMaximumFrameSize
    /// Time allowed for the TCP (and TLS) connection to be set up; through a
    /// proxy, for the connection to the proxy and its whole handshake.
    public var connectTimeout: TimeAmount = .seconds(30)
    /// The SOCKS5 proxy to reach the server through (Tor, for tipsters);
    /// `nil` connects directly. The server's host name is then sent to the
    /// proxy unresolved, so `.onion` names work and no DNS query leaves here.
    public var proxy: SOCKSProxy?
    /// When set, the client pings this often and closes the connection when
    /// an answer takes longer than ``keepaliveTimeout``.
    public var keepaliveInterval: TimeAmount?
    public var keepaliveTimeout: TimeAmount = .seconds(20)
    /// Response messages buffered per call before the client stops reading.
    public var maximumBufferedMessagesPerCall = 16
    /// The local address to connect from; `nil` lets the system choose. Tests
    /// use a distinctive loopback address to prove the server stores none.
    public var sourceAddress: String?

    /// The deadline of a unary call made without one. A hostile or broken
    /// server cannot keep a client waiting longer.
    public var unaryTimeout: Duration = .seconds(120)
    /// The deadline of a streaming call made without one: long enough for
    /// the largest attachment (256 MiB) at about 40 KB/s over Tor, and still
    /// an end.
    public var streamTimeout: Duration = .seconds(7200)

    public init() {}
}
