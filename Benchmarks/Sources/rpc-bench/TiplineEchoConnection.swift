import NIOCore
import TiplineRPC

/// A Tipline `RPCClient`: one TCP connection carrying many concurrent calls.
struct TiplineEchoConnection: EchoConnection {
    let client: RPCClient

    /// `group` is shared by all connections. Without it, RPCClient makes a
    /// one-thread event loop group per connection: 8 (or 1,000) threads that
    /// gRPC's clients, which share one group by default, would not have.
    static func connect(port: Int, group: any EventLoopGroup) async throws -> TiplineEchoConnection {
        TiplineEchoConnection(client: try await RPCClient.connect(host: "127.0.0.1", port: port, group: group))
    }

    func echo(_ request: EchoMethod.Message) async throws -> EchoMethod.Message {
        try await client.unary(EchoMethod.path, request, as: EchoMethod.Message.self)
    }

    func close() async {
        await client.close()
    }
}
