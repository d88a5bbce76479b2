import NIOCore

/// The client's side of one connection: it numbers calls, routes frames to
/// them, and applies backpressure both ways: it stops reading when a caller
/// reads responses slowly, and holds a sender back while the socket cannot
/// take more (``readyForMore(_:on:)``). Everything runs on the connection's
/// event loop.
final class ClientConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = WireEvent
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    typealias Producer = NIOThrowingAsyncSequenceProducer<
        ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, BackpressureDelegate>

    /// A call in flight: a streaming call's responses go to `source`; a
    /// unary call's one response waits in `response` until the call's end
    /// completes `reply`.
    struct Stream {
        var source: Producer.Source?
        var reply: EventLoopPromise<ByteBuffer>?
        var response: ByteBuffer?
        var paused = false
        var deadlineTimer: Scheduled<Void>?
        /// A sender waiting for the channel to become writable again.
        var sender: EventLoopPromise<Void>?
    }

    private let configuration: ClientConfiguration
    private var context: ChannelHandlerContext?
    private var streams: [UInt32: Stream] = [:]
    private var nextStreamID: UInt32 = 1
    /// Set once the connection can take no new calls, with the reason.
    private var unusable: RPCError?
    private var pendingRead = false
    private var keepaliveTimer: RepeatedTask?
    private var outstandingPing: UInt64?
    private var pingTimeout: Scheduled<Void>?
    private var pingCounter: UInt64 = 0

    init(configuration: ClientConfiguration) {
        self.configuration = configuration
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    private func start(_ context: ChannelHandlerContext) {
        var preface = context.channel.allocator.buffer(capacity: ConnectionPreface.byteCount)
        ConnectionPreface.write(into: &preface)
        context.writeAndFlush(wrapOutboundOut(preface), promise: nil)
        if let interval = configuration.keepaliveInterval, keepaliveTimer == nil {
            // The timer holds the handler until it is cancelled in shutDown.
            let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
            keepaliveTimer = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
                bound.value.keepalive()
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        shutDown(RPCError(.unavailable, "connection closed"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let reason = (error as? ProtocolViolation).map { RPCError(.internal, "protocol violation by the server: \($0)") }
            ?? RPCError(.unavailable, "connection failed")
        shutDown(reason)
        context.close(promise: nil)
    }

    // MARK: Calls (called on the event loop)

    /// Opens a call; returns its stream id and the sequence of response messages.
    func open(_ start: CallStart, endStream: Bool) throws -> (UInt32, Producer) {
        guard let context else { throw RPCError(.unavailable, "connection closed") }
        let id = try nextID()
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        let high = max(configuration.maximumBufferedMessagesPerCall, 2)
        let produced = Producer.makeSequence(
            backPressureStrategy: .init(lowWatermark: high / 2, highWatermark: high), finishOnDeinit: false,
            delegate: BackpressureDelegate(eventLoop: loop) { bound.value.resume(id) })
        register(id, Stream(source: produced.source), start, context: context)
        write(Frame(type: .callStart, flags: endStream ? .endStream : [], streamID: id,
                    payload: start.encoded(allocator: context.channel.allocator)), flush: endStream)
        return (id, produced.sequence)
    }

    /// Opens a unary call and sends its request in the same flush. `reply`
    /// completes with the response at the call's end, or fails with the
    /// call's error. A unary call needs no response stream: the one message
    /// is held here until the call ends.
    func openUnary(_ start: CallStart, request: ByteBuffer, reply: EventLoopPromise<ByteBuffer>) -> UInt32? {
        guard let context else {
            reply.fail(RPCError(.unavailable, "connection closed"))
            return nil
        }
        let id: UInt32
        do { id = try nextID() } catch {
            reply.fail(error)
            return nil
        }
        register(id, Stream(reply: reply), start, context: context)
        write(Frame(type: .callStart, streamID: id, payload: start.encoded(allocator: context.channel.allocator)), flush: false)
        write(Frame(type: .message, flags: .endStream, streamID: id, payload: request), flush: true)
        return id
    }

    private func nextID() throws -> UInt32 {
        if let unusable { throw unusable }
        guard nextStreamID < UInt32.max - 2 else { throw RPCError(.unavailable, "stream ids exhausted; reconnect") }
        defer { nextStreamID += 2 }
        return nextStreamID
    }

    private func register(_ id: UInt32, _ stream: Stream, _ start: CallStart, context: ChannelHandlerContext) {
        var stream = stream
        if start.timeoutMilliseconds > 0 {
            stream.deadlineTimer = context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(start.timeoutMilliseconds))) {
                [weak self] in self?.expire(id)
            }
        }
        streams[id] = stream
    }

    /// Ends a call for its caller: normally (`nil`) or with `error`.
    private func conclude(_ stream: Stream, _ error: RPCError?) {
        stream.deadlineTimer?.cancel()
        // A sender still waiting to write more has nowhere to write it.
        stream.sender?.fail(error ?? RPCError(.cancelled, "call already ended"))
        if let source = stream.source {
            if let error { source.finish(error) } else { source.finish() }
        }
        if let reply = stream.reply {
            if let error {
                reply.fail(error)
            } else if let response = stream.response {
                reply.succeed(response)
            } else {
                reply.fail(RPCError(.internal, "the server ended the call without a response"))
            }
        }
    }

    func send(_ id: UInt32, _ payload: ByteBuffer, endStream: Bool) throws {
        guard streams[id] != nil else { throw unusable ?? RPCError(.cancelled, "call already ended") }
        write(Frame(type: .message, flags: endStream ? .endStream : [], streamID: id, payload: payload), flush: true)
    }

    /// Completes when call `id` may send its next message: at once while the
    /// channel is writable, else once its outbound buffer drains below the
    /// low watermark. Without this wait every message the socket had not yet
    /// taken queued in NIO's outbound buffer, so an upload faster than the
    /// network, or than a server that stops reading (its own backpressure),
    /// held the whole file in memory (issue 14). Fails when the call or the
    /// connection ends first.
    func readyForMore(_ id: UInt32, on loop: any EventLoop) -> EventLoopFuture<Void> {
        guard let context, var stream = streams[id] else {
            return loop.makeFailedFuture(unusable ?? RPCError(.cancelled, "call already ended"))
        }
        if context.channel.isWritable { return loop.makeSucceededVoidFuture() }
        if let waiting = stream.sender { return waiting.futureResult }
        let promise = loop.makePromise(of: Void.self)
        stream.sender = promise
        streams[id] = stream
        return promise.futureResult
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            // Every waiter is cleared before any is resumed, so that a
            // sender that has to wait again gets a promise of its own.
            let waiting = streams.filter { $0.value.sender != nil }
            for id in waiting.keys { streams[id]?.sender = nil }
            for stream in waiting.values { stream.sender?.succeed() }
        }
        context.fireChannelWritabilityChanged()
    }

    /// Abandons a call: the server is told to stop, and the caller sees CANCELLED.
    func cancel(_ id: UInt32) {
        guard let stream = streams.removeValue(forKey: id) else { return }
        conclude(stream, RPCError(.cancelled, "call cancelled"))
        write(Frame(type: .cancel, streamID: id), flush: true)
    }

    private func expire(_ id: UInt32) {
        guard let stream = streams.removeValue(forKey: id) else { return }
        conclude(stream, RPCError(.deadlineExceeded, "deadline exceeded"))
        write(Frame(type: .cancel, streamID: id), flush: true)
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .frame(let frame) = unwrapInboundIn(data) else { return }
        switch frame.type {
        case .message:
            guard var stream = streams[frame.streamID] else { return }
            if let source = stream.source {
                if case .stopProducing = source.yield(frame.payload) {
                    stream.paused = true
                    streams[frame.streamID] = stream
                }
            } else if stream.response == nil {
                stream.response = frame.payload
                streams[frame.streamID] = stream
            } else {
                // A unary call has one response; the server broke the protocol.
                streams[frame.streamID] = nil
                conclude(stream, RPCError(.internal, "the server sent more than one response"))
                write(Frame(type: .cancel, streamID: frame.streamID), flush: true)
            }
        case .callEnd:
            guard let stream = streams.removeValue(forKey: frame.streamID) else { return }
            do {
                let end = try CallEnd(decoding: frame.payload)
                conclude(stream, end.status == .ok ? nil : RPCError(end.status, end.message))
            } catch {
                conclude(stream, RPCError(.internal, "malformed call end from the server"))
            }
            resumeIfPossible()
        case .ping:
            if frame.flags.contains(.ack) {
                outstandingPing = nil
                pingTimeout?.cancel()
                pingTimeout = nil
            } else if frame.payload.readableBytes == 8 {
                write(Frame(type: .ping, flags: .ack, streamID: 0, payload: frame.payload), flush: true)
            }
        case .goAway:
            let goAway = try? GoAway(decoding: frame.payload)
            let reason = RPCError(goAway?.status == .ok ? .unavailable : (goAway?.status ?? .unavailable),
                                  goAway?.message ?? "server sent GOAWAY")
            unusable = reason
            // Calls the server never saw will not be answered.
            let last = goAway?.lastStreamID ?? 0
            for (id, stream) in streams where id > last {
                conclude(stream, reason)
                streams[id] = nil
            }
        case .callStart, .cancel:
            errorCaught(context: context, error: ProtocolViolation.unexpectedFrame(frame.type))
        }
    }

    // MARK: Backpressure

    private func resume(_ id: UInt32) {
        streams[id]?.paused = false
        resumeIfPossible()
    }

    private func resumeIfPossible() {
        guard let context, pendingRead, !streams.values.contains(where: \.paused) else { return }
        pendingRead = false
        context.read()
    }

    func read(context: ChannelHandlerContext) {
        if streams.values.contains(where: \.paused) {
            pendingRead = true
        } else {
            context.read()
        }
    }

    // MARK: Keepalive and shutdown

    private func keepalive() {
        // One ping at a time; its own timeout decides when the server is gone.
        guard let context, outstandingPing == nil else { return }
        pingCounter += 1
        outstandingPing = pingCounter
        var payload = context.channel.allocator.buffer(capacity: 8)
        payload.writeInteger(pingCounter)
        write(Frame(type: .ping, streamID: 0, payload: payload), flush: true)
        pingTimeout = context.eventLoop.assumeIsolated().scheduleTask(in: configuration.keepaliveTimeout) { [weak self] in
            guard let self, self.outstandingPing != nil else { return }
            self.shutDown(RPCError(.unavailable, "the server stopped answering keepalive pings"))
            self.context?.close(promise: nil)
        }
    }

    private func shutDown(_ reason: RPCError) {
        if unusable == nil { unusable = reason }
        keepaliveTimer?.cancel()
        keepaliveTimer = nil
        pingTimeout?.cancel()
        pingTimeout = nil
        for (_, stream) in streams { conclude(stream, reason) }
        streams.removeAll()
    }

    private func write(_ frame: Frame, flush: Bool) {
        guard let context else { return }
        var buffer = context.channel.allocator.buffer(capacity: Frame.headerSize + frame.payload.readableBytes)
        FrameEncoder.write(frame, into: &buffer)
        if flush {
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        } else {
            context.write(wrapOutboundOut(buffer), promise: nil)
        }
    }
}
