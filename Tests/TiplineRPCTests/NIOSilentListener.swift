import NIOCore
import NIOPosix

/// A TCP listener that accepts connections and never sends a byte: a server
/// that has hung, for keepalive tests.
final class NIOSilentListener: Sendable {
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    private init(channel: any Channel) { self.channel = channel }

    static func start() async throws -> NIOSilentListener {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { $0.eventLoop.makeSucceededVoidFuture() }
            .bind(host: "127.0.0.1", port: 0).get()
        return NIOSilentListener(channel: channel)
    }

    func close() async { try? await channel.close() }
}
