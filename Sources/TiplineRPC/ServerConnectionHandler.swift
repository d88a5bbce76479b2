import Logging
import NIOCore

/// One server connection's protocol state machine (PROTOCOL.md §11–12).
///
/// Everything here runs on the connection's event loop. Handlers run as
/// tasks off the loop, so crypto and storage never block I/O; they come back
/// to the loop only to write. The handler never learns the peer's address.
final class ServerConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = WireEvent
    // Frames are encoded here rather than by a separate encoder handler: the
    // preface is raw bytes, and one handler fewer is one hop fewer per write.
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    typealias Producer = NIOThrowingAsyncSequenceProducer<
        ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, BackpressureDelegate>

    /// A call in flight.
    struct Call {
        /// Client-streaming calls: where request messages go as they arrive.
        var source: Producer.Source?
        /// Unary and server-streaming calls, until their one request is
        /// complete: what to start then, and the request once it arrived.
        var waiting: WaitingCall?
        var task: Task<Void, Never>?
        var deadlineTimer: Scheduled<Void>?
        var requestsFinished = false
        /// The handler's buffer is full; reading waits until it drains.
        var paused = false
        /// Client-streaming calls: the bytes of request messages not yet
        /// taken by the handler, charged to the call, connection and server.
        var account: BufferAccount?
        /// The last time the call moved forward on its client's side: a
        /// request message arrived or was taken. The watchdog ends calls
        /// that wait on their client for longer than the progress timeout.
        var lastProgress = NIODeadline.now()
        var seenReleases = 0
        /// Server-streaming calls: since when a response has been waiting
        /// for the client to read it.
        var writeWaitingSince: NIODeadline?
    }

    /// A single-request call that has not started yet.
    struct WaitingCall {
        let run: @Sendable (ByteBuffer, @escaping RPCHandler.Send, CallContext) async throws -> ByteBuffer?
        let context: CallContext
        var request: ByteBuffer?
    }

    enum Phase {
        case awaitingPreface
        case active
        case draining
        case closed
    }

    private let table: MethodTable
    private let limits: RPCLimits
    private let budgets: ConnectionBudgets
    private let logger: Logger
    private var phase = Phase.awaitingPreface
    private var calls: [UInt32: Call] = [:]
    private var highestStreamID: UInt32 = 0
    private var prefaceTimer: Scheduled<Void>?
    private var frameReadTimer: Scheduled<Void>?
    private var idleTimer: Scheduled<Void>?
    private var watchdog: Scheduled<Void>?
    /// When unsent responses last moved (one was handed to the socket, or
    /// the first was queued): the watchdog closes a connection that does not
    /// read them for the progress timeout.
    private var lastWriteProgress = NIODeadline.now()
    private var lastActivity = NIODeadline.now()
    private var pendingRead = false
    /// Part of a frame has arrived and the rest has not. The frame-read timer
    /// runs only while this is true *and* the server is reading: while a
    /// slow handler holds reading back, the missing bytes are ours to wait
    /// for, not the client's, and the timer must not blame the client.
    private var partialFrame = false
    private var context: ChannelHandlerContext?

    init(table: MethodTable, limits: RPCLimits, budgets: ConnectionBudgets, logger: Logger) {
        self.table = table
        self.limits = limits
        self.budgets = budgets
        self.logger = logger
    }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { start(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    private func start(context: ChannelHandlerContext) {
        guard prefaceTimer == nil, phase == .awaitingPreface else { return }
        var preface = context.channel.allocator.buffer(capacity: ConnectionPreface.byteCount)
        ConnectionPreface.write(into: &preface)
        // The server's preface goes out as raw bytes, ahead of any frame.
        context.writeAndFlush(wrapOutboundOut(preface), promise: nil)
        prefaceTimer = context.eventLoop.assumeIsolated().scheduleTask(in: limits.prefaceTimeout) { [weak self] in
            self?.fail(.prefaceTimeout)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        phase = .closed
        cancelTimers()
        for (_, call) in calls { abandon(call, error: RPCError(.unavailable, "connection closed")) }
        calls.removeAll()
        budgets.close()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard phase != .closed else { return }
        switch unwrapInboundIn(data) {
        case .partial:
            partialFrame = true
            armFrameReadTimer(context: context)
        case .preface:
            prefaceTimer?.cancel()
            prefaceTimer = nil
            phase = .active
            touch()
            armIdleTimer()
        case .frame(let frame):
            partialFrame = false
            frameReadTimer?.cancel()
            frameReadTimer = nil
            touch()
            do {
                try handle(frame, context: context)
            } catch let violation as ProtocolViolation {
                fail(violation)
            } catch {
                fail(.malformedPayload(frame.type))
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let violation = error as? ProtocolViolation {
            fail(violation)
        } else {
            // I/O errors (reset by peer and the like): the peer is gone.
            logger.debug("connection error", metadata: ["error": "\(type(of: error))"])
            context.close(promise: nil)
        }
    }

    private func handle(_ frame: Frame, context: ChannelHandlerContext) throws {
        switch frame.type {
        case .callStart:
            guard frame.streamID % 2 == 1, frame.streamID > highestStreamID else {
                throw ProtocolViolation.invalidStreamID(frame.streamID)
            }
            highestStreamID = frame.streamID
            guard frame.payload.readableBytes <= limits.maximumMetadataSize + 260 else {
                throw ProtocolViolation.metadataTooLarge(frame.payload.readableBytes)
            }
            let start = try CallStart(decoding: frame.payload)
            startCall(frame.streamID, start, endStream: frame.flags.contains(.endStream), context: context)

        case .message:
            guard frame.streamID % 2 == 1, frame.streamID <= highestStreamID else {
                throw ProtocolViolation.invalidStreamID(frame.streamID)
            }
            // Frames for a call that already ended (cancelled, timed out) are
            // dropped: the client may not have heard yet.
            guard var call = calls[frame.streamID], !call.requestsFinished else { return }
            let end = frame.flags.contains(.endStream)
            if var waiting = call.waiting {
                // A call that takes one request: its one message carries
                // END_STREAM (§11.4). One without it promises more, which
                // this call must not get, so it ends now rather than sit in
                // memory waiting for an END_STREAM that may never come.
                guard end else {
                    return refuse(frame.streamID, "the one request message of this call must carry END_STREAM",
                                  context: context)
                }
                let size = frame.payload.readableBytes
                if let scope = budgets.holdRequest(size) {
                    return exhausted(frame.streamID, scope: scope, context: context)
                }
                waiting.request = frame.payload
                call.requestsFinished = true
                call.waiting = nil
                call.task = launch(frame.streamID, waiting, heldBytes: size, context: context)
            } else if let source = call.source, let account = call.account {
                if let scope = account.hold(frame.payload.readableBytes) {
                    return exhausted(frame.streamID, scope: scope, context: context)
                }
                call.lastProgress = .now()
                if case .stopProducing = source.yield(frame.payload) { call.paused = true }
                if end {
                    source.finish()
                    call.requestsFinished = true
                }
            }
            calls[frame.streamID] = call

        case .cancel:
            guard frame.streamID % 2 == 1, frame.streamID <= highestStreamID else {
                throw ProtocolViolation.invalidStreamID(frame.streamID)
            }
            if let call = calls.removeValue(forKey: frame.streamID) {
                abandon(call, error: CancellationError())
                callsChanged()
            }

        case .ping:
            guard frame.streamID == 0 else { throw ProtocolViolation.invalidStreamID(frame.streamID) }
            guard frame.payload.readableBytes == 8 else { throw ProtocolViolation.malformedPayload(.ping) }
            if !frame.flags.contains(.ack) {
                context.writeAndFlush(frameBytes(Frame(type: .ping, flags: .ack, streamID: 0, payload: frame.payload)),
                                      promise: nil)
            }

        case .callEnd, .goAway:
            throw ProtocolViolation.unexpectedFrame(frame.type)
        }
    }

    // MARK: Calls

    private func startCall(_ id: UInt32, _ start: CallStart, endStream: Bool, context: ChannelHandlerContext) {
        if phase == .draining {
            return endCall(id, CallEnd(status: .unavailable, message: "server is shutting down"), context: context)
        }
        guard calls.count < limits.maximumConcurrentCalls else {
            return endCall(id, CallEnd(status: .resourceExhausted, message: "too many concurrent calls"), context: context)
        }
        guard let handler = table.handler(for: start.method) else {
            return endCall(id, CallEnd(status: .unimplemented, message: "unknown method"), context: context)
        }
        let loop = context.eventLoop
        var call = Call()
        var deadline: NIODeadline?
        if start.timeoutMilliseconds > 0 {
            let timeout = TimeAmount.milliseconds(Int64(start.timeoutMilliseconds))
            deadline = .now() + timeout
            call.deadlineTimer = loop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in self?.deadlineExceeded(id) }
        }
        let callContext = CallContext(method: start.method, metadata: start.metadata, deadline: deadline)
        switch handler.body {
        case .single(let run):
            if endStream {
                call.deadlineTimer?.cancel()
                return endCall(id, CallEnd(status: .invalidArgument, message: "expected one request message, got none"),
                               context: context)
            }
            call.waiting = WaitingCall(run: run, context: callContext)
        case .stream(let run):
            let bound = NIOLoopBound(self, eventLoop: loop)
            let high = max(limits.maximumBufferedMessagesPerCall, 2)
            let produced = Producer.makeSequence(
                backPressureStrategy: .init(lowWatermark: high / 2, highWatermark: high),
                finishOnDeinit: false,
                delegate: BackpressureDelegate(eventLoop: loop) { bound.value.resume(id) })
            call.source = produced.source
            if endStream {
                produced.source.finish()
                call.requestsFinished = true
            }
            let account = budgets.call(pauseAbove: limits.maximumFrameSize) {
                loop.execute { bound.value.resumeAfterDrain() }
            }
            call.account = account
            let requests = RPCHandler.Requests(sequence: produced.sequence, account: account)
            let logger = self.logger
            call.task = Task {
                let outcome = await CallOutcome.settle(method: callContext.method, logger: logger) {
                    try await run(requests, callContext)
                }
                loop.execute { bound.value.finishCall(id, outcome.end, response: outcome.response) }
            }
        }
        calls[id] = call
        if call.account != nil { armWatchdog() }
    }

    /// Starts a single-request call's handler, its request complete. The
    /// request's bytes stay charged until the handler is done with them.
    private func launch(_ id: UInt32, _ waiting: WaitingCall, heldBytes: Int,
                        context: ChannelHandlerContext) -> Task<Void, Never> {
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        let logger = self.logger
        let budgets = self.budgets
        let request = waiting.request ?? ByteBuffer()
        return Task {
            let outcome = await CallOutcome.settle(method: waiting.context.method, logger: logger) {
                try await waiting.run(request, { buffer in
                    do {
                        try await loop.flatSubmit { bound.value.sendMessage(id, buffer, loop: loop) }.get()
                    } catch let error as RPCError {
                        throw error
                    } catch {
                        // The connection closed under the write: the call is
                        // over, which is not the handler's failure.
                        throw CancellationError()
                    }
                }, waiting.context)
            }
            budgets.releaseRequest(heldBytes)
            // The single response, if any, and the call's end go out in one
            // hop to the loop and one flush.
            loop.execute { bound.value.finishCall(id, outcome.end, response: outcome.response) }
        }
    }

    /// Ends a call the client got wrong, before or instead of its handler.
    private func refuse(_ id: UInt32, _ message: String, context: ChannelHandlerContext) {
        guard let call = calls.removeValue(forKey: id) else { return }
        abandon(call, error: RPCError(.invalidArgument, message))
        endCall(id, CallEnd(status: .invalidArgument, message: message), context: context)
        callsChanged()
    }

    /// Ends a call whose bytes would not fit a memory budget.
    private func exhausted(_ id: UInt32, scope: String, context: ChannelHandlerContext) {
        guard let call = calls.removeValue(forKey: id) else { return }
        let message = ProtocolViolation.overBudget(scope: scope).description
        abandon(call, error: RPCError(.resourceExhausted, message))
        endCall(id, CallEnd(status: .resourceExhausted, message: message), context: context)
        callsChanged()
    }

    /// Writes one response message of a server-streaming call, if the call
    /// is still open. The handler waits for the returned future, so a call
    /// has at most one response waiting for the client to read it.
    private func sendMessage(_ id: UInt32, _ payload: ByteBuffer, loop: any EventLoop) -> EventLoopFuture<Void> {
        guard let context, calls[id] != nil else { return loop.makeFailedFuture(CancellationError()) }
        let size = payload.readableBytes
        if let scope = holdUnsent(size) {
            fail(.overBudget(scope: scope))
            return loop.makeFailedFuture(RPCError(.resourceExhausted, "connection closed"))
        }
        calls[id]?.writeWaitingSince = .now()
        armWatchdog()
        let written = context.writeAndFlush(frameBytes(Frame(type: .message, streamID: id, payload: payload)))
        written.assumeIsolated().whenComplete { [weak self] _ in
            guard let self else { return }
            self.unsentWritten(size)
            self.calls[id]?.writeWaitingSince = nil
        }
        return written
    }

    /// Charges a response until the socket takes it, or names the budget
    /// that has no room.
    private func holdUnsent(_ size: Int) -> String? {
        if budgets.unsent.held == 0 { lastWriteProgress = .now() }
        return budgets.unsent.hold(size)
    }

    private func unsentWritten(_ size: Int) {
        budgets.unsent.release(size)
        lastWriteProgress = .now()
    }

    private func finishCall(_ id: UInt32, _ status: CallEnd, response: ByteBuffer? = nil) {
        guard let context, let call = calls.removeValue(forKey: id) else { return }
        call.deadlineTimer?.cancel()
        if !call.requestsFinished { call.source?.finish() }
        // The response and the call's end in one buffer: one allocation, one
        // write, one flush.
        let end = status.encoded(allocator: context.channel.allocator)
        var buffer = context.channel.allocator.buffer(
            capacity: 2 * Frame.headerSize + (response?.readableBytes ?? 0) + end.readableBytes)
        if let response { FrameEncoder.write(Frame(type: .message, streamID: id, payload: response), into: &buffer) }
        FrameEncoder.write(Frame(type: .callEnd, streamID: id, payload: end), into: &buffer)
        let size = buffer.readableBytes
        if let scope = holdUnsent(size) {
            // The client is not reading what it asked for: the connection goes.
            return fail(.overBudget(scope: scope))
        }
        armWatchdog()
        context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { [weak self] _ in
            self?.unsentWritten(size)
        }
        callsChanged()
    }

    private func deadlineExceeded(_ id: UInt32) {
        guard let context, let call = calls.removeValue(forKey: id) else { return }
        abandon(call, error: RPCError(.deadlineExceeded, "deadline exceeded"))
        endCall(id, CallEnd(status: .deadlineExceeded, message: "deadline exceeded"), context: context)
        callsChanged()
    }

    /// Stops a call's work: the task is cancelled and its request stream ends.
    private func abandon(_ call: Call, error: any Error) {
        call.deadlineTimer?.cancel()
        call.task?.cancel()
        if !call.requestsFinished { call.source?.finish(error) }
        call.account?.close()
    }

    private func endCall(_ id: UInt32, _ end: CallEnd, context: ChannelHandlerContext) {
        context.writeAndFlush(frameBytes(Frame(type: .callEnd, streamID: id, payload: end.encoded(allocator: context.channel.allocator))),
                              promise: nil)
    }

    private func callsChanged() {
        guard let context else { return }
        resumeReadingIfPossible(context: context)
        if calls.isEmpty {
            if phase == .draining {
                context.close(promise: nil)
            } else {
                armIdleTimer()
            }
        }
    }

    // MARK: Backpressure

    private func resume(_ id: UInt32) {
        guard let context else { return }
        calls[id]?.paused = false
        resumeReadingIfPossible(context: context)
    }

    /// A call's handler took enough bytes that its account fell below the
    /// pause mark.
    private func resumeAfterDrain() {
        guard let context else { return }
        resumeReadingIfPossible(context: context)
    }

    /// Reading stops while the socket's outbound buffer is full, or any
    /// call's handler is behind by its message count or by a frame's worth
    /// of bytes.
    private var canRead: Bool {
        guard let context else { return false }
        let pauseBytes = limits.maximumFrameSize
        return context.channel.isWritable
            && !calls.values.contains { $0.paused || ($0.account.map { $0.held >= pauseBytes } ?? false) }
    }

    private func resumeReadingIfPossible(context: ChannelHandlerContext) {
        if pendingRead && canRead {
            pendingRead = false
            armFrameReadTimer(context: context)
            context.read()
        }
    }

    func read(context: ChannelHandlerContext) {
        if canRead {
            context.read()
        } else {
            pendingRead = true
            // Reading is held back by this side: the rest of a frame cannot
            // arrive, so its deadline stops until reading resumes.
            frameReadTimer?.cancel()
            frameReadTimer = nil
        }
    }

    /// The deadline for the rest of a partly received frame (slow-loris
    /// protection), counted only while the server is reading.
    private func armFrameReadTimer(context: ChannelHandlerContext) {
        guard partialFrame, frameReadTimer == nil, !pendingRead, phase != .awaitingPreface, phase != .closed else { return }
        frameReadTimer = context.eventLoop.assumeIsolated().scheduleTask(in: limits.frameReadTimeout) { [weak self] in
            self?.fail(.frameReadTimeout)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        resumeReadingIfPossible(context: context)
        context.fireChannelWritabilityChanged()
    }

    // MARK: Shutdown, timeouts, violations

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            drain(context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Graceful shutdown: GOAWAY, refuse new calls, close when the last call
    /// ends or the grace period runs out.
    private func drain(context: ChannelHandlerContext) {
        guard phase == .active || phase == .awaitingPreface else { return }
        phase = .draining
        let goAway = GoAway(lastStreamID: highestStreamID, status: .unavailable, message: "server is shutting down")
        context.writeAndFlush(frameBytes(Frame(type: .goAway, streamID: 0, payload: goAway.encoded())), promise: nil)
        if calls.isEmpty {
            context.close(promise: nil)
        } else {
            context.eventLoop.assumeIsolated().scheduleTask(in: limits.shutdownGracePeriod) { [weak self] in
                self?.context?.close(promise: nil)
            }
        }
    }

    /// Ends the connection after a protocol violation, telling the peer why.
    private func fail(_ violation: ProtocolViolation) {
        guard let context, phase != .closed else { return }
        logger.info("closing connection after protocol violation", metadata: ["violation": "\(violation)"])
        phase = .closed
        cancelTimers()
        let goAway = GoAway(lastStreamID: highestStreamID, status: violation.status, message: violation.description)
        context.writeAndFlush(frameBytes(Frame(type: .goAway, streamID: 0, payload: goAway.encoded())))
            .assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        // A peer that reads nothing never lets the GOAWAY out: close anyway.
        context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(1)) { context.close(promise: nil) }
    }

    private func touch() { lastActivity = .now() }

    private func frameBytes(_ frame: Frame) -> NIOAny {
        var buffer = (context?.channel.allocator ?? ByteBufferAllocator())
            .buffer(capacity: Frame.headerSize + frame.payload.readableBytes)
        FrameEncoder.write(frame, into: &buffer)
        return wrapOutboundOut(buffer)
    }

    /// Keeps one idle timer armed for the connection's whole life. It is not
    /// cancelled when a call starts and armed again when it ends: that would
    /// cost a timer insertion and removal per call. Instead, when it fires it
    /// looks at the connection: busy, or active since, means arm again for
    /// later; idle for the whole timeout means close.
    private func armIdleTimer() {
        guard let context, idleTimer == nil, phase == .active else { return }
        let when = calls.isEmpty ? lastActivity + limits.idleTimeout : .now() + limits.idleTimeout
        idleTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: when) { [weak self] in
            guard let self else { return }
            self.idleTimer = nil
            guard self.phase == .active else { return }
            if self.calls.isEmpty && NIODeadline.now() >= self.lastActivity + self.limits.idleTimeout {
                self.closeIdle()
            } else {
                self.armIdleTimer()
            }
        }
    }

    private func closeIdle() {
        guard let context else { return }
        phase = .closed
        let goAway = GoAway(lastStreamID: highestStreamID, status: .ok, message: "idle timeout")
        context.writeAndFlush(frameBytes(Frame(type: .goAway, streamID: 0, payload: goAway.encoded())))
            .assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    private func cancelTimers() {
        prefaceTimer?.cancel()
        frameReadTimer?.cancel()
        idleTimer?.cancel()
        watchdog?.cancel()
        prefaceTimer = nil
        frameReadTimer = nil
        idleTimer = nil
        watchdog = nil
    }

    // MARK: Progress watchdog

    /// Arms the progress watchdog while anything waits on the client: a
    /// client-streaming call still receiving, a response not yet read. It
    /// looks four times per progress timeout, so a stall is caught within
    /// 1.25 timeouts; nothing is scheduled on an idle connection.
    private func armWatchdog() {
        guard let context, watchdog == nil, phase == .active || phase == .draining else { return }
        let period = TimeAmount.nanoseconds(max(limits.progressTimeout.nanoseconds / 4, 10_000_000))
        watchdog = context.eventLoop.assumeIsolated().scheduleTask(in: period) { [weak self] in
            guard let self else { return }
            self.watchdog = nil
            if self.checkProgress() { self.armWatchdog() }
        }
    }

    /// Ends what made no progress for the timeout; returns whether anything
    /// is still worth watching.
    private func checkProgress() -> Bool {
        guard let context, phase != .closed else { return false }
        let now = NIODeadline.now()
        let timeout = limits.progressTimeout
        if budgets.unsent.held > 0 && now - lastWriteProgress > timeout {
            fail(.noProgress)
            return false
        }
        var watching = budgets.unsent.held > 0
        var stalled: [(id: UInt32, handlerBehind: Bool)] = []
        for (id, call) in calls {
            if let account = call.account, !call.requestsFinished {
                let releases = account.releases
                if releases != call.seenReleases {
                    calls[id]?.seenReleases = releases
                    calls[id]?.lastProgress = now
                } else if now - call.lastProgress > timeout {
                    // Reading held back for this call: its own handler stalled, not the client.
                    stalled.append((id, call.paused || account.held >= limits.maximumFrameSize))
                }
                watching = true
            } else if let since = call.writeWaitingSince {
                if now - since > timeout { stalled.append((id, false)) }
                watching = true
            }
        }
        let seconds = timeout.nanoseconds / 1_000_000_000
        for (id, handlerBehind) in stalled {
            let message = handlerBehind
                ? "the server did not take in the request within \(seconds) s; try again later"
                : "no progress from the client within \(seconds) s"
            guard let call = calls.removeValue(forKey: id) else { continue }
            abandon(call, error: RPCError(.deadlineExceeded, message))
            endCall(id, CallEnd(status: .deadlineExceeded, message: message), context: context)
        }
        if !stalled.isEmpty { callsChanged() }
        return watching
    }
}
