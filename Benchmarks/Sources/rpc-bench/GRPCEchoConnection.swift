import GRPCCore
import GRPCNIOTransportHTTP2Posix
import NIOCore

/// A `GRPCClient` over its own HTTP/2 transport. With one address and the
/// default (pick-first) load balancing, a client holds exactly one HTTP/2
/// connection, so N of these are N connections. It is what generated client
/// stubs wrap; calling `unary` directly skips only the stub's forwarding.
final class GRPCEchoConnection: EchoConnection {
    private let client: GRPCClient<HTTP2ClientTransport.Posix>
    /// `runConnections()` drives the transport until graceful shutdown.
    private let running: Task<Void, Never>

    private init(client: GRPCClient<HTTP2ClientTransport.Posix>) {
        self.client = client
        running = Task { try? await client.runConnections() }
    }

    /// Returns at once; the connection is made by the first call (the
    /// benchmark makes one check call on every connection before using it).
    static func connect(port: Int, group: any EventLoopGroup) throws -> GRPCEchoConnection {
        let transport = try HTTP2ClientTransport.Posix(
            target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext, eventLoopGroup: group)
        return GRPCEchoConnection(client: GRPCClient(transport: transport))
    }

    func echo(_ request: EchoMethod.Message) async throws -> EchoMethod.Message {
        try await client.unary(
            request: ClientRequest(message: request), descriptor: EchoMethod.descriptor,
            serializer: EchoMethod.serializer, deserializer: EchoMethod.deserializer, options: .defaults
        ) { response in
            try response.message
        }
    }

    func close() async {
        client.beginGracefulShutdown()
        await running.value
    }
}
