/// Server memory with many idle connections, in a fresh server process per
/// stack, so that neither the load test's buffers nor the other stack's
/// code are in the figure.
///
/// Both stacks get the same treatment: real client connections from this
/// process (Tipline `RPCClient`s; gRPC `GRPCClient`s, each its own HTTP/2
/// connection), each made to carry one echo call, so that the server has
/// done its full per-connection setup (Tipline: preface and handler state;
/// gRPC: HTTP/2 preface, SETTINGS exchange and stream multiplexer), then left
/// idle. Neither server's idle timeout (Tipline 120 s; gRPC none by default)
/// comes near the few seconds this takes.
enum IdleConnectionProbe {
    /// Time for the server to finish accepting and for freed memory to
    /// settle before each reading.
    static let settle = Duration.seconds(1)

    static func measure(_ stack: Stack, count: Int, connector: Connector) async throws -> MemoryResult {
        let server = try ServerProcess(stack)
        defer { server.stop() }
        let warm = try await connector.open(1, of: stack, port: server.port)
        await Connector.close(warm)
        try await Task.sleep(for: settle)
        let start = server.probe.residentKiB()

        let idle = try await connector.open(count, of: stack, port: server.port)
        try await Task.sleep(for: settle)
        let open = server.probe.residentKiB()
        let threads = server.probe.threads()

        await Connector.close(idle)
        try await Task.sleep(for: settle)
        let after = server.probe.residentKiB()

        // The allocator keeps freed memory, so "after closing" stays high
        // even without a leak. A second round tells: memory that was freed
        // is reused and the figure stays near the first round's; memory that
        // leaked is not, and it grows by about as much again.
        let again = try await connector.open(count, of: stack, port: server.port)
        try await Task.sleep(for: settle)
        let reopened = server.probe.residentKiB()
        await Connector.close(again)
        return MemoryResult(stack: stack, idleConnections: count, startKiB: start, idleKiB: open,
                            afterCloseKiB: after, reopenedKiB: reopened, threads: threads)
    }
}
