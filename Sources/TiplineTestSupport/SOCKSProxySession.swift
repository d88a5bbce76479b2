import NIOCore
import NIOPosix
import NIOSOCKS

/// The test proxy's side of one client connection: a minimal RFC 1928
/// server, no authentication and CONNECT only. It is written from the RFC
/// rather than with NIOSOCKS's server handler, so that the client's bytes
/// are checked by something other than the library that wrote them.
///
///     client greeting:  VER=5 | NMETHODS | METHODS...
///     proxy choice:     VER=5 | METHOD (0x00 no authentication, 0xFF none acceptable)
///     client request:   VER=5 | CMD (0x01 CONNECT) | RSV=0 | ATYP | DST.ADDR | DST.PORT (u16)
///                       ATYP 0x01: 4 bytes; 0x03: a length byte, then the name; 0x04: 16 bytes
///     proxy reply:      VER=5 | REP | RSV=0 | ATYP=1 | BND.ADDR=0.0.0.0 | BND.PORT=0
///
/// It is stricter than a real proxy in one way: a byte the client sends
/// after its request and before the reply is counted in `bytesBeforeReply`
/// and ends the connection, because a real client's such bytes would have
/// been read by the proxy instead of reaching the server.
final class SOCKSProxySession: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        case awaitingGreeting
        case awaitingRequest
        case connecting
        case spliced(any Channel)
        case finished
    }

    private let resolve: @Sendable (String) -> (host: String, port: Int)?
    private let fault: SOCKSProxyFault?
    private let bytesPerSecond: Int?
    private let record: SOCKSProxyRecord
    private var state = State.awaitingGreeting
    private var received = ByteBuffer()

    init(resolve: @escaping @Sendable (String) -> (host: String, port: Int)?, fault: SOCKSProxyFault?,
         bytesPerSecond: Int? = nil, record: SOCKSProxyRecord) {
        self.resolve = resolve
        self.fault = fault
        self.bytesPerSecond = bytesPerSecond
        self.record = record
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        switch state {
        case .spliced(let peer):
            let count = bytes.readableBytes
            peer.writeAndFlush(bytes, promise: nil)
            if let bytesPerSecond, bytesPerSecond > 0 {
                // Stop reading for as long as these bytes take at the rate.
                let channel = context.channel
                let pause = TimeAmount.nanoseconds(Int64(count) * 1_000_000_000 / Int64(bytesPerSecond))
                channel.setOption(.autoRead, value: false).whenComplete { _ in }
                context.eventLoop.scheduleTask(in: pause) { channel.setOption(.autoRead, value: true).whenComplete { _ in } }
            }
        case .connecting:
            record.bytesBeforeReply.withLock { $0 += bytes.readableBytes }
            end(context)
        case .finished:
            break
        case .awaitingGreeting, .awaitingRequest:
            guard fault != .neverAnswers else { return }
            received.writeBuffer(&bytes)
            advance(context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .spliced(let peer) = state { peer.close(promise: nil) }
        state = .finished
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        end(context)
    }

    // MARK: Handshake

    private func advance(_ context: ChannelHandlerContext) {
        if case .awaitingGreeting = state {
            guard let methods = takeGreeting(context) else { return }
            switch fault {
            case .closesAfterGreeting:
                end(context)
                return
            case .answersGarbage:
                state = .finished
                send(Array("HTTP/1.1 400 Bad Request\r\n\r\n".utf8), context)
                return
            case .neverAnswers, nil:
                break
            }
            guard methods.contains(0x00) else {
                send([5, 0xFF], context, thenClose: true)
                return
            }
            state = .awaitingRequest
            send([5, 0x00], context)
        }
        if case .awaitingRequest = state {
            guard let request = takeRequest(context) else { return }
            let (command, target) = request
            record.targets.withLock { $0.append(target) }
            guard received.readableBytes == 0 else {
                record.bytesBeforeReply.withLock { $0 += received.readableBytes }
                end(context)
                return
            }
            guard command == 0x01 else {
                reply(.commandUnsupported, context, thenClose: true)
                return
            }
            guard let destination = resolve(target.host) else {
                reply(.hostUnreachable, context, thenClose: true)
                return
            }
            connect(to: destination, context)
        }
    }

    /// The greeting's methods once it has fully arrived; nil before that,
    /// or after closing on a version other than 5.
    private func takeGreeting(_ context: ChannelHandlerContext) -> [UInt8]? {
        var view = received
        guard let version = view.readInteger(as: UInt8.self), let count = view.readInteger(as: UInt8.self),
              let methods = view.readBytes(length: Int(count)) else { return nil }
        received = view
        guard version == 5 else {
            end(context)
            return nil
        }
        return methods
    }

    /// The request's command and target once it has fully arrived; nil
    /// before that, or after closing on a malformed request.
    private func takeRequest(_ context: ChannelHandlerContext) -> (command: UInt8, target: SOCKSTarget)? {
        var view = received
        guard let version = view.readInteger(as: UInt8.self), let command = view.readInteger(as: UInt8.self),
              let reserved = view.readInteger(as: UInt8.self), let addressType = view.readInteger(as: UInt8.self)
        else { return nil }
        guard version == 5, reserved == 0 else {
            end(context)
            return nil
        }
        let kind: SOCKSTarget.Kind
        let host: String
        switch addressType {
        case 0x01:
            guard let bytes = view.readBytes(length: 4) else { return nil }
            kind = .ipv4
            host = bytes.map(String.init).joined(separator: ".")
        case 0x03:
            guard let length = view.readInteger(as: UInt8.self), let name = view.readBytes(length: Int(length)) else {
                return nil
            }
            kind = .domain
            host = String(decoding: name, as: UTF8.self)
        case 0x04:
            guard let bytes = view.readSlice(length: 16) else { return nil }
            kind = .ipv6
            host = (try? SocketAddress(packedIPAddress: bytes, port: 0))?.ipAddress ?? "?"
        default:
            reply(.addressUnsupported, context, thenClose: true)
            return nil
        }
        guard let port = view.readInteger(as: UInt16.self) else { return nil }
        received = view
        return (command: command, target: SOCKSTarget(kind: kind, host: host, port: Int(port)))
    }

    // MARK: Tunnel

    private func connect(to destination: (host: String, port: Int), _ context: ChannelHandlerContext) {
        state = .connecting
        let client = context.channel
        // The server speaks first (its preface), so the tunnel reads nothing
        // from it until the reply has gone out ahead of those bytes.
        let connecting = ClientBootstrap(group: context.eventLoop)
            .channelOption(.autoRead, value: false)
            .connect(host: destination.host, port: destination.port)
        connecting.assumeIsolated().whenComplete { result in
            switch (result, self.state) {
            case (.success(let server), .connecting):
                do {
                    try server.pipeline.syncOperations.addHandler(ByteSplice(peer: client))
                    self.state = .spliced(server)
                    self.reply(.succeeded, on: client)
                    try server.syncOptions?.setOption(.autoRead, value: true)
                } catch {
                    server.close(promise: nil)
                    client.close(promise: nil)
                }
            case (.success(let server), _):
                // The client left while the proxy was connecting.
                server.close(promise: nil)
            case (.failure, .connecting):
                self.state = .finished
                self.reply(.refused, on: client, thenClose: true)
            case (.failure, _):
                break
            }
        }
    }

    // MARK: Writing

    private func reply(_ code: SOCKSServerReply, _ context: ChannelHandlerContext, thenClose: Bool = false) {
        reply(code, on: context.channel, thenClose: thenClose)
    }

    private func reply(_ code: SOCKSServerReply, on channel: any Channel, thenClose: Bool = false) {
        if thenClose { state = .finished }
        // The bound address tells a CONNECT client nothing it needs.
        send([5, code.value, 0, 1, 0, 0, 0, 0, 0, 0], on: channel, thenClose: thenClose)
    }

    private func send(_ bytes: [UInt8], _ context: ChannelHandlerContext, thenClose: Bool = false) {
        if thenClose { state = .finished }
        send(bytes, on: context.channel, thenClose: thenClose)
    }

    private func send(_ bytes: [UInt8], on channel: any Channel, thenClose: Bool) {
        let written = channel.writeAndFlush(channel.allocator.buffer(bytes: bytes))
        // Closing only once the bytes are out, so the client reads the
        // refusal before it sees the connection end.
        if thenClose { written.whenComplete { _ in channel.close(promise: nil) } }
    }

    private func end(_ context: ChannelHandlerContext) {
        state = .finished
        context.close(promise: nil)
    }
}
