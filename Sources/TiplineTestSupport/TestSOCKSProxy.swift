import NIOCore
import NIOPosix

/// A SOCKS5 proxy on 127.0.0.1 for tests, standing in for Tor's SOCKS port.
/// It records every CONNECT target exactly as the client named it, maps it
/// through `resolve` to a real address (the test's own idea of where
/// `tipline-test.onion` lives), and splices bytes both ways.
public final class TestSOCKSProxy: Sendable {
    private let channel: any Channel
    private let record: SOCKSProxyRecord

    private init(channel: any Channel, record: SOCKSProxyRecord) {
        self.channel = channel
        self.record = record
    }

    /// `resolve` gets the requested host (a name as sent, or an address as
    /// text) and returns where to connect, or nil to refuse the request with
    /// "host unreachable". The requested port is only recorded.
    ///
    /// `bytesPerSecond` slows what clients send to about that rate, like a
    /// slow Tor circuit, so that a test can act while an upload is on its way.
    public static func start(
        fault: SOCKSProxyFault? = nil, bytesPerSecond: Int? = nil,
        resolve: @escaping @Sendable (String) -> (host: String, port: Int)?
    ) async throws -> TestSOCKSProxy {
        let record = SOCKSProxyRecord()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { child in
                record.connections.withLock { $0.append(child) }
                return child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(
                        SOCKSProxySession(resolve: resolve, fault: fault, bytesPerSecond: bytesPerSecond, record: record))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return TestSOCKSProxy(channel: channel, record: record)
    }

    public var port: Int { channel.localAddress?.port ?? 0 }

    /// Every CONNECT request received, in order.
    public var requests: [SOCKSTarget] { record.targets.withLock { $0 } }

    /// Bytes a client sent after its request but before the proxy's reply.
    /// A correct client sends none: until the reply, the proxy would read
    /// them, not the server.
    public var bytesBeforeReply: Int { record.bytesBeforeReply.withLock { $0 } }

    /// Ends every connection open now, as a dropped link would, and keeps
    /// listening: a client that connects again gets through.
    public func dropConnections() async {
        let open = record.connections.withLock { connections in
            defer { connections.removeAll() }
            return connections
        }
        for connection in open { try? await connection.close() }
    }

    /// Stops listening and ends every connection the proxy accepted.
    public func stop() async {
        try? await channel.close()
        for connection in record.connections.withLock({ $0 }) {
            try? await connection.close()
        }
    }
}
