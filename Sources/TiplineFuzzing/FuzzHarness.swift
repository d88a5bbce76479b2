import Foundation
import Logging
import NIOCore
import NIOEmbedded
import TiplineRPC

/// One fuzz input through everything a server does with a client's bytes
/// (the body of `tipline-fuzz`, and what FuzzRegressionTests replays):
///
/// 1. ``FrameDecoder`` on its own, read by read, and every frame's payload
///    through `CallStart(decoding:)`, `CallEnd(decoding:)` and
///    `GoAway(decoding:)`;
/// 2. a server connection — the same decoder and connection state machine as
///    ``RPCServer``'s, with a small method table — on a test channel, fed the
///    same reads.
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
        let done = DispatchSemaphore(value: 0)
        Task {
            await run(input)
            done.signal()
        }
        done.wait()
    }

    /// Runs one input; returns the number of frames the decoder produced.
    @discardableResult
    public static func run(_ bytes: [UInt8]) async -> Int {
        let input = FuzzInput(bytes)
        let frames = decodeFrames(input)
        await serve(input)
        return frames
    }

    // MARK: The decoders alone

    static func decodeFrames(_ input: FuzzInput) -> Int {
        var decoder = FrameDecoder(maximumFrameSize: limits.maximumFrameSize)
        var buffer = ByteBuffer()
        var frames = 0
        for chunk in input.chunks {
            buffer.writeBytes(chunk)
            do {
                while let event = try decoder.decodeOne(&buffer) {
                    guard case .frame(let frame) = event else { continue }
                    frames += 1
                    decodePayload(frame.payload)
                }
            } catch {
                return frames
            }
            buffer.discardReadBytes()
        }
        return frames
    }

    /// Every payload goes through all three decoders, whatever its frame's type.
    static func decodePayload(_ payload: ByteBuffer) {
        _ = try? CallStart(decoding: payload)
        _ = try? CallEnd(decoding: payload)
        _ = try? GoAway(decoding: payload)
    }

    // MARK: A server connection

    static func serve(_ input: FuzzInput) async {
        let service = FuzzService()
        let methods = service.methods()
        let limits = Self.limits
        let logger = Logger(label: "tipline.fuzz", factory: { _ in SwiftLogNoOpLogHandler() })
        let loop = NIOAsyncTestingEventLoop()
        do {
            let channel = try await NIOAsyncTestingChannel(loop: loop) { channel in
                try channel.pipeline.syncOperations.addTiplineServerHandlers(methods: methods, limits: limits, logger: logger)
            }
            try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).get()

            for (index, chunk) in input.chunks.enumerated() where channel.isActive {
                if input.unwritableHalfway && index == input.chunks.count / 2 {
                    try await setWritable(false, channel)
                }
                // Errors are the connection's business (it answers with GOAWAY).
                _ = try? await channel.writeInbound(ByteBuffer(bytes: chunk))
                await settle(loop, service, rounds: 2)
            }
            if input.unwritableHalfway { try await setWritable(true, channel) }
            await settle(loop, service)
            if input.quiesce, channel.isActive {
                try await loop.executeInContext { channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent()) }
                await settle(loop, service)
            }
            if input.advanceClock {
                await loop.advanceTime(by: clockStep)
                await settle(loop, service)
            }
            _ = try? await channel.finish(acceptAlreadyClosed: true)
            var answer = ByteBuffer()
            while var part = try await channel.readOutbound(as: ByteBuffer.self) { answer.writeBuffer(&part) }
            if trace { print(describe(answer)) }
        } catch {
            // Setting up the test channel failed: nothing of the input's doing.
        }
        // Closing cancelled every call; give their tasks a moment to end so
        // that they do not run into the next input.
        for _ in 0..<2000 where service.running.withLock({ $0 }) > 0 {
            try? await Task.sleep(for: .milliseconds(1))
        }
        await loop.shutdownGracefully()
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
            if round > 0 && service.running.withLock({ $0 }) == 0 { break }
            await Task.yield()
        }
    }

    static func setWritable(_ writable: Bool, _ channel: NIOAsyncTestingChannel) async throws {
        try await channel.testingEventLoop.executeInContext {
            channel.isWritable = writable
            channel.pipeline.fireChannelWritabilityChanged()
        }
    }
}
