import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOExtras
import NIOPosix
import NIOSSL

/// A Tipline RPC server on NIOPosix: it accepts connections, enforces the
/// limits, and runs the method table's handlers. It knows nothing about tips.
public final class RPCServer: Sendable {
    private let channel: any Channel
    private let quiescing: ServerQuiescingHelper
    private let ownedGroup: MultiThreadedEventLoopGroup?
    private let connectionCount: NIOLockedValueBox<Int>
    private let budget: MemoryBudget
    private let logger: Logger

    /// The address the server is bound to (its port, when started with port 0).
    public var localAddress: SocketAddress? { channel.localAddress }
    public var port: Int { channel.localAddress?.port ?? 0 }

    private init(channel: any Channel, quiescing: ServerQuiescingHelper, ownedGroup: MultiThreadedEventLoopGroup?,
                 connectionCount: NIOLockedValueBox<Int>, budget: MemoryBudget, logger: Logger) {
        self.budget = budget
        self.channel = channel
        self.quiescing = quiescing
        self.ownedGroup = ownedGroup
        self.connectionCount = connectionCount
        self.logger = logger
    }

    /// Binds and starts serving.
    ///
    /// - Parameters:
    ///   - host: the address to bind, usually `127.0.0.1` behind a Tor onion service.
    ///   - port: 0 picks a free port; read it back from ``port``.
    ///   - group: the event loops to use; by default the process-wide
    ///     `MultiThreadedEventLoopGroup.singleton` (one loop per core). It is
    ///     never shut down, so a handler that finishes after shutdown (past the
    ///     grace period) can still hop back to its loop instead of hitting a
    ///     dead one.
    public static func start(
        host: String, port: Int, methods: MethodTable, limits: RPCLimits = RPCLimits(), tls: ServerTLS? = nil,
        group: (any EventLoopGroup)? = nil, logger: Logger = Logger(label: "tipline.rpc")
    ) async throws -> RPCServer {
        let owned: MultiThreadedEventLoopGroup? = nil
        let loops: any EventLoopGroup = group ?? MultiThreadedEventLoopGroup.singleton
        let quiescing = ServerQuiescingHelper(group: loops)
        let count = NIOLockedValueBox(0)
        let budget = MemoryBudget(scope: "server", limit: limits.maximumBufferedBytes)
        let bootstrap = ServerBootstrap(group: loops)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: false)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    let open = count.withLockedValue { value -> Int in
                        value += 1
                        return value
                    }
                    child.closeFuture.whenComplete { _ in count.withLockedValue { $0 -= 1 } }
                    let sync = child.pipeline.syncOperations
                    if let tls { try sync.addHandler(NIOSSLServerHandler(context: tls.context)) }
                    if open > limits.maximumConnections {
                        try sync.addHandler(ConnectionRefuser())
                        return
                    }
                    // The same function the fuzz harness uses, so what is fuzzed is what serves.
                    try sync.addTiplineServerHandlers(methods: methods, limits: limits, serverBudget: budget,
                                                            logger: logger)
                }
            }
        do {
            let channel = try await bootstrap.bind(host: host, port: port).get()
            return RPCServer(channel: channel, quiescing: quiescing, ownedGroup: owned, connectionCount: count, budget: budget,
                             logger: logger)
        } catch {
            try? await owned?.shutdownGracefully()
            throw error
        }
    }

    /// Bytes held now for all connections together, against
    /// `RPCLimits.maximumBufferedBytes` (PROTOCOL.md §12).
    public var bufferedBytes: Int { budget.bytesInUse }

    /// The number of connections open now.
    public var openConnections: Int { connectionCount.withLockedValue { $0 } }

    /// Graceful shutdown: stop accepting, send GOAWAY on every connection,
    /// let in-flight calls finish within the grace period, then close.
    public func shutdown() async {
        let promise = channel.eventLoop.makePromise(of: Void.self)
        quiescing.initiateShutdown(promise: promise)
        try? await promise.futureResult.get()
        try? await ownedGroup?.shutdownGracefully()
    }

    /// Completes when the listening socket closes.
    public func waitUntilClosed() async {
        try? await channel.closeFuture.get()
    }
}
