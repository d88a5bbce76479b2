import NIOCore
import NIOSOCKS

/// Sits right behind `SOCKSClientHandler` and settles `outcome` when the
/// proxy's tunnel to the server is open, or with the reason it never will be.
/// Once in a pipeline it always settles: at the latest when the channel closes.
/// `RPCClient.connect` waits for it, so a refusing, silent or broken proxy
/// fails the connect rather than the first call.
///
/// `SOCKSClientHandler` reports success with `SOCKSProxyEstablishedEvent`.
/// It reports a refusal or a malformed answer only as an error it fires
/// before closing the channel, and a proxy that hangs up as a bare
/// `channelInactive`; this handler turns each into an UNAVAILABLE that says
/// the proxy failed. No message names the server: its host name is exactly
/// what going through the proxy is meant to keep private.
final class ProxyHandshakeMonitor: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let promise: EventLoopPromise<Void>
    private let deadline: TimeAmount
    private var timer: Scheduled<Void>?
    private var settled = false
    /// Whether the TCP connection to the proxy was made, so that "could not
    /// connect" and "hung up" are told apart however the close is observed.
    private var connected = false

    /// `deadline` counts from when the handler joins the pipeline, before
    /// the TCP connect starts, so it bounds the connect and the handshake together.
    init(eventLoop: any EventLoop, deadline: TimeAmount) {
        self.promise = eventLoop.makePromise()
        self.deadline = deadline
    }

    var outcome: EventLoopFuture<Void> { promise.futureResult }

    /// For a monitor that never made it into a pipeline, whose promise
    /// nothing else would complete.
    func abandon() {
        settle(.failure(RPCError(.unavailable, "could not connect to the SOCKS proxy")))
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: deadline) { [weak self] in
            self?.settle(.failure(RPCError(.unavailable, "the SOCKS proxy did not open a connection to the server in time")))
            channel.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        settle(.failure(closedReason))
    }

    func channelActive(context: ChannelHandlerContext) {
        connected = true
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        settle(.failure(closedReason))
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is SOCKSProxyEstablishedEvent { settle(.success(())) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        settle(.failure(Self.reason(for: error)))
        context.fireErrorCaught(error)
    }

    private var closedReason: RPCError {
        connected ? RPCError(.unavailable, "the SOCKS proxy closed the connection during its handshake")
            : RPCError(.unavailable, "could not connect to the SOCKS proxy")
    }

    private func settle(_ result: Result<Void, RPCError>) {
        guard !settled else { return }
        settled = true
        timer?.cancel()
        timer = nil
        promise.completeWith(result.mapError { $0 as any Error })
    }

    private static func reason(for error: any Error) -> RPCError {
        switch error {
        case let refusal as SOCKSError.ConnectionFailed:
            RPCError(.unavailable, "the SOCKS proxy could not open a connection to the server: \(Self.meaning(of: refusal.reply))")
        case is SOCKSError.InvalidAuthenticationSelection:
            RPCError(.unavailable, "the SOCKS proxy asks for authentication, which the client does not offer")
        case is SOCKSError.InvalidProtocolVersion, is SOCKSError.InvalidReservedByte, is SOCKSError.InvalidAddressType,
             is SOCKSError.UnexpectedRead:
            RPCError(.unavailable, "the SOCKS proxy answered with something that is not SOCKS5")
        default:
            RPCError(.unavailable, "the connection to the SOCKS proxy failed during its handshake")
        }
    }

    /// The reply codes' meanings from RFC 1928 §6.
    private static func meaning(of reply: SOCKSServerReply) -> String {
        switch reply {
        case .serverFailure: "general SOCKS server failure"
        case .notAllowed: "connection not allowed by ruleset"
        case .networkUnreachable: "network unreachable"
        case .hostUnreachable: "host unreachable"
        case .refused: "connection refused"
        case .ttlExpired: "TTL expired"
        case .commandUnsupported: "command not supported"
        case .addressUnsupported: "address type not supported"
        default: "reply code \(reply.value)"
        }
    }
}
