import NIOCore
import NIOPosix
import SwiftProtobuf

/// A connection to a Tipline RPC server carrying many concurrent calls,
/// answered in any order, with an async API.
public final class RPCClient: Sendable {
    private let channel: any Channel
    private let handler: NIOLoopBound<ClientConnectionHandler>
    /// Deadlines for calls made without one (ClientConfiguration).
    private let unaryTimeout: Duration
    private let streamTimeout: Duration

    private init(channel: any Channel, handler: NIOLoopBound<ClientConnectionHandler>, configuration: ClientConfiguration) {
        self.unaryTimeout = configuration.unaryTimeout
        self.streamTimeout = configuration.streamTimeout
        self.channel = channel
        self.handler = handler
    }

    /// Connects to `host:port`, optionally over TLS, and through
    /// `configuration.proxy` when one is set. Through a proxy it returns once
    /// the proxy has opened the tunnel to the server.
    public static func connect(
        host: String, port: Int, tls: ClientTLS? = nil, configuration: ClientConfiguration = ClientConfiguration(),
        group: (any EventLoopGroup)? = nil
    ) async throws -> RPCClient {
        // The shared singleton by default: a thread per client would mean a
        // thousand threads for a thousand connections.
        let loops: any EventLoopGroup = group ?? MultiThreadedEventLoopGroup.singleton
        let proxy = try configuration.proxy.map { _ in ProxyRoute(target: try SOCKSProxy.target(host: host, port: port)) }
        var bootstrap = ClientBootstrap(group: loops)
            .connectTimeout(configuration.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try addHandlers(to: channel, tls: tls, proxy: proxy, configuration: configuration)
                }
            }
        if let source = configuration.sourceAddress {
            bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: source, port: 0))
        }
        let channel: any Channel
        do {
            // Through a proxy only the proxy's own name is resolved here; the
            // server's goes to the proxy inside the SOCKS request.
            channel = try await bootstrap.connect(host: configuration.proxy?.host ?? host,
                                                  port: configuration.proxy?.port ?? port).get()
        } catch {
            let what = proxy == nil ? "could not connect to the server" : "could not connect to the SOCKS proxy"
            throw RPCError(.unavailable, "\(what) (\(ConnectFailure.reason(error)))")
        }
        do {
            if let proxy {
                guard let handshake = proxy.handshake(of: channel) else {
                    throw RPCError(.internal, "the connection to the SOCKS proxy has no handshake monitor")
                }
                try await handshake.get()
            }
            let handler = try await channel.eventLoop.submit {
                NIOLoopBound(try channel.pipeline.syncOperations.handler(type: ClientConnectionHandler.self),
                             eventLoop: channel.eventLoop)
            }.get()
            return RPCClient(channel: channel, handler: handler, configuration: configuration)
        } catch {
            channel.close(promise: nil)
            // The monitor's reasons all say how the proxy failed.
            throw error as? RPCError ?? RPCError(.unavailable, proxy == nil ? "could not connect to the server"
                                                     : "could not connect to the server through the SOCKS proxy")
        }
    }

    /// The client's pipeline. With a proxy, `SOCKSClientHandler` goes first:
    /// it holds back every outbound byte above it (the TLS ClientHello, the
    /// connection preface, early frames) until the proxy's tunnel is open,
    /// and then sends them on in order, so they reach the server, not the proxy.
    static func addHandlers(to channel: any Channel, tls: ClientTLS?, proxy: ProxyRoute?,
                            configuration: ClientConfiguration) throws {
        if let proxy { try proxy.addHandlers(to: channel, deadline: configuration.connectTimeout) }
        let pipeline = channel.pipeline.syncOperations
        if let tls { try pipeline.addHandler(try tls.makeHandler()) }
        try pipeline.addHandler(ByteToMessageHandler(FrameDecoder(maximumFrameSize: configuration.maximumFrameSize)))
        try pipeline.addHandler(ClientConnectionHandler(configuration: configuration))
    }

    /// Closes the connection; calls still in flight fail with UNAVAILABLE.
    public func close() async {
        try? await channel.close()
    }

    // MARK: Typed calls

    public func unary<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ path: String, _ request: Request, as response: Response.Type = Response.self,
        timeout: Duration? = nil, metadata: Metadata = Metadata()
    ) async throws -> Response {
        let start = try Self.callStart(path, metadata: metadata, timeout: timeout ?? unaryTimeout)
        let message = try Self.encode(request)
        // No response stream: the connection holds the one response and
        // completes a promise at the call's end, so the caller suspends
        // once, and the loop is reached with `execute`, not a round trip.
        let loop = channel.eventLoop
        let handler = self.handler
        let reply = loop.makePromise(of: ByteBuffer.self)
        let id = NIOLoopBoundBox<UInt32?>.makeEmptyBox(valueType: UInt32.self, eventLoop: loop)
        loop.execute { id.value = handler.value.openUnary(start, request: message, reply: reply) }
        let response = try await Self.mappingCancellation {
            try await withTaskCancellationHandler {
                try await reply.futureResult.get()
            } onCancel: {
                // Runs after the open above: one loop runs its tasks in order.
                loop.execute { if let opened = id.value { handler.value.cancel(opened) } }
            }
        }
        return try Self.decode(Response.self, response)
    }

    /// Exactly one response message, then the end of the call.
    static func single<Response: SwiftProtobuf.Message>(_ type: Response.Type, from call: ClientCall) async throws -> Response {
        try await mappingCancellation { try await withTaskCancellationHandler {
            let iterator = call.responses.makeAsyncIterator()
            guard let first = try await iterator.next() else {
                throw RPCError(.internal, "the server ended the call without a response")
            }
            let message = try decode(Response.self, first)
            guard try await iterator.next() == nil else { throw RPCError(.internal, "the server sent more than one response") }
            return message
        } onCancel: {
            call.cancel()
        } }
    }

    /// Sends every request of `requests`, then waits for the single response.
    /// The call starts with the first request; with none, `CALL_START` itself
    /// carries `END_STREAM`.
    public func clientStreaming<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message, Requests: AsyncSequence>(
        _ path: String, requests: Requests, as response: Response.Type = Response.self,
        timeout: Duration? = nil, metadata: Metadata = Metadata()
    ) async throws -> Response where Requests.Element == Request {
        var iterator = requests.makeAsyncIterator()
        guard var pending = try await iterator.next() else {
            let call = try await start(path, metadata: metadata, timeout: timeout, firstMessage: nil, endStream: true)
            return try await Self.single(Response.self, from: call)
        }
        let call = try await start(path, metadata: metadata, timeout: timeout, firstMessage: nil, endStream: false)
        return try await Self.mappingCancellation { try await withTaskCancellationHandler {
            let responses = call.responses.makeAsyncIterator()
            do {
                // One request is held back so that the last one carries END_STREAM.
                while let next = try await iterator.next() {
                    try await call.send(try Self.encode(pending), end: false)
                    pending = next
                }
                try await call.send(try Self.encode(pending), end: true)
            } catch {
                // The server may have ended the call early (a limit, a refusal):
                // its status explains the failure better than the failed send.
                while try await responses.next() != nil {}
                throw error
            }
            guard let first = try await responses.next() else {
                throw RPCError(.internal, "the server ended the call without a response")
            }
            return try Self.decode(Response.self, first)
        } onCancel: {
            call.cancel()
        } }
    }

    /// Sends one request and yields the server's stream of responses.
    public func serverStreaming<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ path: String, _ request: Request, as response: Response.Type = Response.self,
        timeout: Duration? = nil, metadata: Metadata = Metadata()
    ) async throws -> ResponseStream<Response> {
        let call = try await start(path, metadata: metadata, timeout: timeout, firstMessage: try Self.encode(request))
        return ResponseStream(call: call)
    }

    // MARK: Raw calls

    func start(_ path: String, metadata: Metadata, timeout: Duration?, firstMessage: ByteBuffer?,
               endStream: Bool = false) async throws -> ClientCall {
        // Every call has a deadline: a server that never answers (or
        // answers forever) cannot hold the client.
        let start = try Self.callStart(path, metadata: metadata, timeout: timeout ?? streamTimeout)
        let handler = self.handler
        let (id, responses) = try await channel.eventLoop.submit {
            let opened = try handler.value.open(start, endStream: endStream)
            if let firstMessage { try handler.value.send(opened.0, firstMessage, endStream: true) }
            return opened
        }.get()
        return ClientCall(id: id, responses: responses, handler: handler, eventLoop: channel.eventLoop)
    }

    static func callStart(_ path: String, metadata: Metadata, timeout: Duration?) throws -> CallStart {
        var milliseconds: UInt32 = 0
        if let timeout {
            let ms = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
            milliseconds = UInt32(clamping: max(ms, 1))
        }
        guard (1...255).contains(path.utf8.count) else { throw RPCError(.invalidArgument, "a method path has 1 to 255 bytes") }
        return CallStart(method: path, timeoutMilliseconds: milliseconds, metadata: metadata)
    }

    /// A cancelled task sees the same typed error as a cancelled call.
    static func mappingCancellation<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch is CancellationError {
            throw RPCError(.cancelled, "call cancelled")
        }
    }

    static func encode<M: SwiftProtobuf.Message>(_ message: M) throws -> ByteBuffer {
        ByteBuffer(bytes: try message.serializedBytes() as [UInt8])
    }

    static func decode<M: SwiftProtobuf.Message>(_ type: M.Type, _ buffer: ByteBuffer) throws -> M {
        do {
            return try M(serializedBytes: Array(buffer.readableBytesView))
        } catch {
            throw RPCError(.internal, "the server sent a response that does not parse")
        }
    }
}
