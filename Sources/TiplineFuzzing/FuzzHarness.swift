import Foundation
import Logging
import NIOCore
import NIOEmbedded
import TiplineRPC

/// One fuzz input through everything a server does with a client's bytes.
/// `tipline-fuzz` runs one of two harnesses on each input, and
/// FuzzRegressionTests replays every kept input through both:
///
/// - ``runFrames(_:)`` (the `frames` target, the fast one): ``FrameDecoder``
///   on its own, read by read, every frame's payload through
///   `CallStart(decoding:)`, `CallEnd(decoding:)` and `GoAway(decoding:)`,
///   then the server's real connection handlers on NIO's synchronous
///   `EmbeddedChannel`, fed the same reads, with no methods registered: the
///   preface, framing, stream ids, limits, pings, GOAWAY, back-pressure and
///   timers, all on one thread, with no trip to another. Every CALL_START
///   is answered UNIMPLEMENTED there, because a registered method runs in a
///   task on another thread, which the synchronous loop cannot take work
///   from.
/// - ``run(_:)`` (the `calls` target): the same decoders, then the same
///   handlers on NIO's thread-safe async test loop in front of a small
///   method table (``FuzzService``) whose handlers run as tasks: calls of
///   every kind, answered, failed, abandoned and cancelled. Every trip
///   between the loop and a task costs far more than the decoding, so this
///   one runs more slowly.
///
/// Every error the input provokes is fine; only a crash or a sanitizer
/// report is a bug. See ``FuzzInput`` for the layout of an input.
public enum FuzzHarness {
    /// The connection's limits: small, so that short inputs reach them.
    ///
    /// The idle timeout is out of the clock's reach on purpose: the idle timer
    /// takes its deadline from the wall clock while the test loop's clock
    /// starts at zero, and mixing the two would spin the loop.
    public static var limits: RPCLimits {
        var limits = RPCLimits()
        limits.maximumFrameSize = 4096
        limits.maximumMetadataSize = 256
        limits.maximumConcurrentCalls = 4
        limits.maximumBufferedMessagesPerCall = 2
        limits.prefaceTimeout = .seconds(1)
        limits.frameReadTimeout = .seconds(2)
        limits.idleTimeout = .hours(24)
        limits.shutdownGracePeriod = .seconds(5)
        return limits
    }

    /// How far bit 5 of the control byte moves the loop's clock.
    static let clockStep = TimeAmount.seconds(60)

    /// Runs one input and waits for it. For libFuzzer's callback on the main
    /// thread only: it blocks its thread, so never call it from async code.
    public static func runBlocking(_ input: [UInt8]) {
        FuzzBlocking.run { await run(input) }
    }

    /// The `frames` harness: runs one input synchronously on the calling
    /// thread; returns the number of frames the decoder produced.
    @discardableResult
    public static func runFrames(_ bytes: [UInt8]) -> Int {
        let input = FuzzInput(bytes)
        let decoded = decodeFrames(input)
        serveSynchronously(input)
        return decoded.frames
    }

    /// The `calls` harness: runs one input; returns the number of frames the
    /// decoder produced.
    @discardableResult
    public static func run(_ bytes: [UInt8]) async -> Int {
        let input = FuzzInput(bytes)
        let decoded = decodeFrames(input)
        await serve(input, firstCallChunk: decoded.firstCallChunk)
        return decoded.frames
    }

    // MARK: The decoders alone

    static func decodeFrames(_ input: FuzzInput) -> (frames: Int, firstCallChunk: Int?) {
        var decoder = FrameDecoder(maximumFrameSize: limits.maximumFrameSize)
        var buffer = ByteBuffer()
        var frames = 0
        var firstCallChunk: Int?
        for (index, chunk) in input.chunks.enumerated() {
            buffer.writeBytes(chunk)
            do {
                while let event = try decoder.decodeOne(&buffer) {
                    guard case .frame(let frame) = event else { continue }
                    frames += 1
                    if frame.type == .callStart && firstCallChunk == nil { firstCallChunk = index }
                    decodePayload(frame.payload)
                }
            } catch {
                break
            }
            buffer.discardReadBytes()
        }
        return (frames, firstCallChunk)
    }

    /// Every payload goes through all three decoders, whatever its frame's type.
    static func decodePayload(_ payload: ByteBuffer) {
        _ = try? CallStart(decoding: payload)
        _ = try? CallEnd(decoding: payload)
        _ = try? GoAway(decoding: payload)
    }

    // MARK: A server connection, synchronously

    /// The server's handlers on an `EmbeddedChannel`, with no methods: all of
    /// it runs on this thread, so an input costs its decoding and little more.
    static func serveSynchronously(_ input: FuzzInput) {
        let limits = Self.limits
        let logger = Logger(label: "tipline.fuzz", factory: { _ in SwiftLogNoOpLogHandler() })
        let channel = EmbeddedChannel()
        defer { _ = try? channel.finish(acceptAlreadyClosed: true) }
        do {
            try channel.pipeline.syncOperations.addTiplineServerHandlers(
                methods: MethodTable(), limits: limits,
                serverBudget: MemoryBudget(scope: "server", limit: limits.maximumBufferedBytes), logger: logger)
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
        } catch {
            return  // setting up the channel failed: nothing of the input's doing
        }
        let half = input.unwritableHalfway ? input.chunks.count / 2 : -1
        for (index, chunk) in input.chunks.enumerated() where channel.isActive {
            if index == half { setWritable(false, channel) }
            // Errors are the connection's business (it answers with GOAWAY).
            _ = try? channel.writeInbound(ByteBuffer(bytes: chunk))
            channel.embeddedEventLoop.run()
        }
        if input.unwritableHalfway { setWritable(true, channel) }
        if input.quiesce, channel.isActive {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
            channel.embeddedEventLoop.run()
        }
        if input.advanceClock { channel.embeddedEventLoop.advanceTime(by: clockStep) }
        if trace {
            var answer = ByteBuffer()
            while var part = try? channel.readOutbound(as: ByteBuffer.self) { answer.writeBuffer(&part) }
            print(describe(answer))
        }
    }

    static func setWritable(_ writable: Bool, _ channel: EmbeddedChannel) {
        channel.isWritable = writable
        channel.pipeline.fireChannelWritabilityChanged()
    }

    // MARK: A server connection, with calls

    static func serve(_ input: FuzzInput, firstCallChunk: Int?) async {
        let service = FuzzService()
        weak var loopInUse: NIOAsyncTestingEventLoop?
        await converse(input, service, firstCallChunk: firstCallChunk) { loopInUse = $0 }
        // Closing the connection cancelled every call. Their tasks hold the
        // loop until they have ended (a handler may still send, and the
        // task's last act is to hand the call's end to the loop), so the loop
        // going away means nothing of this input runs into the next one.
        for round in 0..<40000 {
            if loopInUse == nil { break }
            await FuzzPause.brief(round: round)
        }
    }

    /// Connects a test channel holding the server's handlers, feeds it the
    /// input and closes it.
    static func converse(
        _ input: FuzzInput, _ service: FuzzService, firstCallChunk: Int?, using: (NIOAsyncTestingEventLoop) -> Void
    ) async {
        let methods = service.methods()
        let limits = Self.limits
        let logger = Logger(label: "tipline.fuzz", factory: { _ in SwiftLogNoOpLogHandler() })
        let loop = NIOAsyncTestingEventLoop()
        using(loop)
        do {
            let channel = try await NIOAsyncTestingChannel(loop: loop) { channel in
                try channel.pipeline.syncOperations.addTiplineServerHandlers(
                    methods: methods, limits: limits,
                    serverBudget: MemoryBudget(scope: "server", limit: limits.maximumBufferedBytes), logger: logger)
            }
            try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).get()

            // Reads go to the loop in batches, one trip each: every read up to
            // the one that completes the first CALL_START in one batch (no
            // handler task exists yet to interleave with), and from there one
            // read per trip, with the handlers' tasks let run in between. Each
            // trip costs far more than the decoding it carries.
            let chunks = input.chunks
            let half = input.unwritableHalfway ? chunks.count / 2 : chunks.count
            let quiet = firstCallChunk.map { $0 + 1 } ?? chunks.count
            var index = 0
            while index < chunks.count, channel.isActive {
                if input.unwritableHalfway && index == half {
                    try await setWritable(false, channel)
                }
                var end = index + 1
                if index < quiet { end = max(end, min(quiet, index < half ? half : chunks.count)) }
                let batch = Array(chunks[index..<end])
                // Errors are the connection's business (it answers with GOAWAY).
                _ = try? await loop.executeInContext {
                    for chunk in batch where channel.isActive {
                        channel.pipeline.fireChannelRead(ByteBuffer(bytes: chunk))
                        channel.pipeline.fireChannelReadComplete()
                    }
                }
                if end >= quiet && firstCallChunk != nil { await settle(loop, service, rounds: 1) }
                index = end
            }
            if input.unwritableHalfway { try await setWritable(true, channel) }
            await settle(loop, service)
            // Let calls that end by themselves end, so that answering (and
            // not only abandoning) calls is fuzzed too.
            if firstCallChunk != nil { await letCallsFinish(loop, service) }
            if input.quiesce, channel.isActive {
                try await loop.executeInContext { channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent()) }
                await settle(loop, service)
            }
            if input.advanceClock {
                await loop.advanceTime(by: clockStep)
                await settle(loop, service)
            }
            // Runs what is still scheduled (timers the close did not cancel).
            _ = try? await channel.finish(acceptAlreadyClosed: true)
            // Reading the answer back costs a trip per write: only when tracing.
            if trace {
                var answer = ByteBuffer()
                while var part = try await channel.readOutbound(as: ByteBuffer.self) { answer.writeBuffer(&part) }
                print(describe(answer))
            }
        } catch {
            // Setting up the test channel failed: nothing of the input's doing.
        }
        // The loop is not shut down: a call's task that ends after this
        // point still hands the loop work (which then runs at once), and
        // work handed to a shut-down loop would be dropped.
    }

    /// Set `TIPLINE_FUZZ_TRACE` to print what the server answered to each input.
    static let trace = ProcessInfo.processInfo.environment["TIPLINE_FUZZ_TRACE"] != nil

    /// The server's answer, frame by frame, for tracing.
    static func describe(_ answer: ByteBuffer) -> String {
        var buffer = answer
        var decoder = FrameDecoder(maximumFrameSize: .max, reportsPartial: false)
        var lines: [String] = []
        while let event = try? decoder.decodeOne(&buffer) {
            switch event {
            case .preface(let version): lines.append("preface v\(version)")
            case .partial: break
            case .frame(let frame):
                var line = "\(frame.type) stream \(frame.streamID) flags \(frame.flags.rawValue) \(frame.payload.readableBytes) bytes"
                if frame.type == .callEnd, let end = try? CallEnd(decoding: frame.payload) {
                    line += ": \(end.status) \(end.message)"
                } else if frame.type == .goAway, let goAway = try? GoAway(decoding: frame.payload) {
                    line += ": last \(goAway.lastStreamID) \(goAway.status) \(goAway.message)"
                }
                lines.append(line)
            }
        }
        if buffer.readableBytes > 0 { lines.append("(\(buffer.readableBytes) bytes undecoded)") }
        return lines.joined(separator: "\n")
    }

    /// Lets handler tasks run and the loop execute what they sent it.
    static func settle(_ loop: NIOAsyncTestingEventLoop, _ service: FuzzService, rounds: Int = 8) async {
        for round in 0..<rounds {
            await loop.run()
            if round > 0 && service.busy.withLock({ $0 }) == 0 { break }
            await Task.yield()
        }
    }

    /// Waits (a few milliseconds at most) until no handler that ends by itself has been
    /// running for two polls in a row; a body that just returned still sends
    /// its reply and hands the call's end to the loop.
    static func letCallsFinish(_ loop: NIOAsyncTestingEventLoop, _ service: FuzzService) async {
        var idlePolls = 0
        for round in 0..<400 {
            await FuzzPause.brief(round: round)
            await loop.run()
            idlePolls = service.busy.withLock({ $0 }) == 0 ? idlePolls + 1 : 0
            if idlePolls == 2 { break }
        }
    }

    static func setWritable(_ writable: Bool, _ channel: NIOAsyncTestingChannel) async throws {
        try await channel.testingEventLoop.executeInContext {
            channel.isWritable = writable
            channel.pipeline.fireChannelWritabilityChanged()
        }
    }
}
