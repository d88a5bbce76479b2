import NIOCore
import NIOPosix

/// Opens connections of either stack and proves each one works with a check
/// call before anything is measured: a connection that echoes the wrong
/// bytes would make every number after it meaningless.
struct Connector: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let request: EchoMethod.Message
    /// Both stacks' clients share NIO's process-wide group (one loop per
    /// core), which is also gRPC's default.
    let group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton

    /// Connections opened at once; more would overflow the servers' accept
    /// backlogs and measure SYN retries instead of memory.
    static let batch = 50

    func open(_ count: Int, of stack: Stack, port: Int) async throws -> [any EchoConnection] {
        var connections: [any EchoConnection] = []
        connections.reserveCapacity(count)
        do {
            for first in stride(from: 0, to: count, by: Self.batch) {
                let size = min(Self.batch, count - first)
                try await withThrowingTaskGroup(of: (any EchoConnection).self) { group in
                    for _ in 0..<size {
                        group.addTask { try await self.openOne(stack, port: port) }
                    }
                    for try await connection in group { connections.append(connection) }
                }
            }
        } catch {
            await Self.close(connections)
            throw error
        }
        return connections
    }

    private func openOne(_ stack: Stack, port: Int) async throws -> any EchoConnection {
        let connection: any EchoConnection = switch stack {
        case .tipline: try await TiplineEchoConnection.connect(port: port, group: group)
        case .grpc: try GRPCEchoConnection.connect(port: port, group: group)
        }
        do {
            let reply = try await connection.echo(request)
            guard reply == request else { throw Failure(description: "\(stack.displayName) echoed different bytes") }
        } catch {
            await connection.close()
            throw error
        }
        return connection
    }

    static func close(_ connections: [any EchoConnection]) async {
        await withTaskGroup(of: Void.self) { group in
            for connection in connections { group.addTask { await connection.close() } }
        }
    }
}
