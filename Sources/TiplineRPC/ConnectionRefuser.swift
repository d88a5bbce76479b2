import NIOCore

/// Answers a connection over the limit with the preface and a GOAWAY
/// (RESOURCE_EXHAUSTED), then closes it, so the client learns why.
final class ConnectionRefuser: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { refuse(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        refuse(context)
    }

    private func refuse(_ context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: 32)
        ConnectionPreface.write(into: &buffer)
        let goAway = GoAway(lastStreamID: 0, status: .resourceExhausted, message: "too many connections")
        FrameEncoder.write(Frame(type: .goAway, streamID: 0, payload: goAway.encoded()), into: &buffer)
        context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
