import TiplineRPC

/// Tipline's side of the echo server: a method table with the one unary
/// method, served by `RPCServer` on 127.0.0.1 with an ephemeral port and the
/// default limits and event loops (one per core), as production would.
enum TiplineEchoServer {
    static func methods() -> MethodTable {
        var table = MethodTable()
        table.register(EchoMethod.path, .unary(EchoMethod.Message.self, EchoMethod.Message.self) { request, _ in
            request
        })
        return table
    }

    static func start() async throws -> RPCServer {
        try await RPCServer.start(host: "127.0.0.1", port: 0, methods: methods())
    }
}
