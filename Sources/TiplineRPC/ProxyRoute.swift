import NIOConcurrencyHelpers
import NIOCore
import NIOSOCKS

/// How one `RPCClient.connect` goes through a SOCKS proxy: the server as it
/// is named to the proxy, and the handshake of each channel the connect tries.
///
/// There can be several: when the proxy's name has more than one address,
/// the bootstrap races a channel per address and closes the losers. Each
/// gets its own monitor and outcome, so a loser closing cannot fail the
/// winner's handshake; `connect` waits for the winner's alone.
final class ProxyRoute: Sendable {
    let target: SOCKSAddress
    private let handshakes = NIOLockedValueBox<[(channel: any Channel, outcome: EventLoopFuture<Void>)]>([])

    init(target: SOCKSAddress) {
        self.target = target
    }

    /// Adds `SOCKSClientHandler` and its monitor to a new channel's pipeline.
    /// Called on the channel's event loop.
    func addHandlers(to channel: any Channel, deadline: TimeAmount) throws {
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHandler(SOCKSClientHandler(targetAddress: target))
        let monitor = ProxyHandshakeMonitor(eventLoop: channel.eventLoop, deadline: deadline)
        handshakes.withLockedValue { $0.append((channel, monitor.outcome)) }
        do {
            try pipeline.addHandler(monitor)
        } catch {
            monitor.abandon()
            throw error
        }
    }

    /// How the proxy handshake on `channel` ended (or will end).
    func handshake(of channel: any Channel) -> EventLoopFuture<Void>? {
        handshakes.withLockedValue { all in all.first { $0.channel === channel }?.outcome }
    }
}
