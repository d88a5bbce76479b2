import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import TiplineRPC

/// The `--serve tipline|grpc` mode: this same executable, started by
/// ``ServerProcess``, runs one server and nothing else, so that the parent
/// can read the server's own memory and CPU time from /proc/PID without the
/// load generator's mixed in.
///
/// Protocol with the parent: the child writes `port N` and a newline on
/// standard output once it listens, then serves until its standard input
/// reaches end-of-file. The parent closes that pipe to stop it, and if the
/// parent dies the kernel closes it, so a crashed benchmark leaves no server
/// behind.
enum ServerChild {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func run(_ stack: Stack) async throws {
        FileLimit.raise()
        exitAtEndOfInput()
        switch stack {
        case .tipline:
            let server = try await TiplineEchoServer.start()
            announce(port: server.port)
            await server.waitUntilClosed()
        case .grpc:
            // Default transport settings, as a service would start; like
            // RPCServer's, the default event loop group has one loop per core.
            let server = GRPCServer(
                transport: .http2NIOPosix(address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext),
                services: [GRPCEchoService()])
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await server.serve() }
                guard let port = try await server.listeningAddress?.ipv4?.port else {
                    throw Failure(description: "the gRPC server did not start listening")
                }
                announce(port: port)
            }
        }
    }

    private static func announce(port: Int) {
        FileHandle.standardOutput.write(Data("port \(port)\n".utf8))
    }

    /// A plain thread, not a task: a blocking read on one of the two
    /// cooperative threads would take half the server's handler capacity.
    private static func exitAtEndOfInput() {
        Thread {
            _ = FileHandle.standardInput.readDataToEndOfFile()
            exit(0)
        }.start()
    }
}
