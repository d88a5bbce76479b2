import Foundation
import Logging
import NIOCore
import NIOEmbedded
import TiplineClient
import TiplineFuzzing
import TiplineProto
import TiplineRPC

/// One service fuzz input through the real tip service: the calls of a
/// ``ServiceFuzzInput`` are framed as a client would frame them and fed to
/// the real connection handler (the server's frame decoder and state
/// machine, from `addTiplineServerHandlers`) on a test channel, in front of
/// the real ``TipService`` and ``TipStore`` of a ``ServiceFuzzWorld``.
///
/// Every status is fine; only a crash, a sanitizer report, or a server that
/// stops answering is a bug.
public enum ServiceFuzzHarness {
    /// The world, made once per process on first use.
    public static let world: ServiceFuzzWorld = {
        let done = DispatchSemaphore(value: 0)
        let box = WorldBox()
        Task {
            do { box.world = try await ServiceFuzzWorld.make() } catch {
                FileHandle.standardError.write(Data("tipline-fuzz-service: cannot set up the service: \(error)\n".utf8))
                exit(70)
            }
            done.signal()
        }
        done.wait()
        return box.world!
    }()

    final class WorldBox: @unchecked Sendable {
        // Written once before the semaphore is signalled, read after it.
        var world: ServiceFuzzWorld?
    }

    static let responderMethods: Set<String> = [TiplineMethod.syncInbox, TiplineMethod.downloadAttachment,
                                                TiplineMethod.appendTriageEvent, TiplineMethod.postReply,
                                                TiplineMethod.setExpiry, TiplineMethod.purgeExpired,
                                                TiplineMethod.publishReceivingKey]
    static let mailboxMethods: Set<String> = [TiplineMethod.fetchMailbox, TiplineMethod.postFollowUp]

    /// For libFuzzer's callback on the main thread only: blocks its thread.
    public static func runBlocking(_ input: [UInt8]) {
        FuzzBlocking.run { await run(input) }
    }

    /// Runs one input; returns how many calls the server answered.
    @discardableResult
    public static func run(_ bytes: [UInt8]) async -> Int {
        let input = ServiceFuzzInput(bytes)
        guard !input.calls.isEmpty else { return 0 }
        let world = Self.world
        var wire = ConnectionPreface.bytes
        var expected = 0
        for (index, call) in input.calls.enumerated() {
            wire += frames(call, stream: UInt32(2 * index + 1), world: world)
            // A cancelled call ends without a CALL_END; one left open ends
            // only with the connection.
            if !call.leavesOpen && !call.cancels { expected += 1 }
        }
        return await converse(wire, expecting: expected, world: world)
    }

    /// The frames a client sends for one call.
    static func frames(_ call: ServiceFuzzInput.Call, stream: UInt32, world: ServiceFuzzWorld) -> [UInt8] {
        let method = ServiceFuzzInput.methods[call.method]
        var body = call.body
        if call.realIds { body = realIds(method, world: world) + body }
        var metadata = Metadata()
        if call.signs {
            let responder = responderMethods.contains(method) != call.otherKey
            let time = call.staleTime ? ServiceFuzzWorld.now - 100_000 : ServiceFuzzWorld.now
            metadata = responder
                ? TiplineConnection.signatureMetadata(method: method, server: world.bundle.serverKey.keyId, body: body, keyReference: world.responder.sign.publicKey.keyId.bytes,
                                                      key: world.responder.sign, time: time)
                : TiplineConnection.signatureMetadata(method: method, server: world.bundle.serverKey.keyId, body: body, keyReference: world.mailboxId,
                                                      key: world.mailboxKey, time: time)
        }
        let start = CallStart(method: method, timeoutMilliseconds: call.shortDeadline ? 1 : 0, metadata: metadata)
        var buffer = ByteBuffer()
        FrameEncoder.write(Frame(type: .callStart, streamID: stream, payload: start.encoded()), into: &buffer)
        var messages = [body]
        if call.chunkAgain && method == TiplineMethod.uploadAttachment {
            // A chunk (field 2) holding the body's bytes.
            messages.append(ProtobufWire.field(2, call.body))
        }
        for (index, message) in messages.enumerated() {
            let last = index == messages.count - 1 && !call.leavesOpen
            FrameEncoder.write(Frame(type: .message, flags: last ? .endStream : [], streamID: stream,
                                     payload: ByteBuffer(bytes: message)), into: &buffer)
        }
        if call.cancels {
            FrameEncoder.write(Frame(type: .cancel, streamID: stream, payload: ByteBuffer()), into: &buffer)
        }
        return Array(buffer.readableBytesView)
    }

    /// Field 1 set to the world's real record for the method, so that the
    /// fuzzer's fields reach the code behind the lookups.
    static func realIds(_ method: String, world: ServiceFuzzWorld) -> [UInt8] {
        let field = ProtobufWire.field(_:_:)
        switch method {
        case TiplineMethod.appendTriageEvent, TiplineMethod.postReply, TiplineMethod.setExpiry:
            return field(1, world.tipId)
        case TiplineMethod.fetchMailbox, TiplineMethod.postFollowUp:
            return field(1, world.mailboxId)
        case TiplineMethod.downloadAttachment:
            return field(1, world.attachmentId)
        case TiplineMethod.uploadAttachment:
            return field(1, field(1, world.tipId) + field(2, world.uploadToken))
        default:
            return []
        }
    }

    /// Set `TIPLINE_FUZZ_TRACE` to print how each call ended.
    static let trace = ProcessInfo.processInfo.environment["TIPLINE_FUZZ_TRACE"] != nil

    static let limits: RPCLimits = {
        var limits = RPCLimits()
        limits.idleTimeout = .hours(24)
        return limits
    }()

    /// Feeds the bytes to a server connection and waits (200 ms at most)
    /// until `expected` calls have ended, or the connection has.
    static func converse(_ wire: [UInt8], expecting expected: Int, world: ServiceFuzzWorld) async -> Int {
        let logger = Logger(label: "tipline.fuzz", factory: { _ in SwiftLogNoOpLogHandler() })
        let loop = NIOAsyncTestingEventLoop()
        var ended = 0
        do {
            let methods = world.methods
            let budget = MemoryBudget(scope: "server", limit: limits.maximumBufferedBytes)
            let channel = try await NIOAsyncTestingChannel(loop: loop) { channel in
                try channel.pipeline.syncOperations.addTiplineServerHandlers(methods: methods, limits: limits,
                                                                           serverBudget: budget, logger: logger)
            }
            try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).get()
            _ = try? await channel.writeInbound(ByteBuffer(bytes: wire))
            var answer = ByteBuffer()
            var decoder = FrameDecoder(maximumFrameSize: .max, reportsPartial: false)
            var sawPreface = false
            for round in 0..<4000 {
                await loop.run()
                while var part = try await channel.readOutbound(as: ByteBuffer.self) { answer.writeBuffer(&part) }
                var goAway = false
                while let event = try? decoder.decodeOne(&answer) {
                    switch event {
                    case .preface: sawPreface = true
                    case .frame(let frame) where frame.type == .callEnd:
                        ended += 1
                        if trace, let end = try? CallEnd(decoding: frame.payload) {
                            print("stream \(frame.streamID): \(end.status) \(end.message)")
                        }
                    case .frame(let frame) where frame.type == .goAway: goAway = true
                    default: break
                    }
                }
                if ended >= expected || goAway || !channel.isActive { break }
                await FuzzPause.brief(round: round)
            }
            if trace && !sawPreface { print("no preface") }
            _ = try? await channel.finish(acceptAlreadyClosed: true)
        } catch {
            // Setting up the test channel failed: nothing of the input's doing.
        }
        // Calls still running were cancelled by the close; let their tasks
        // hand the loop their last work before the next input.
        for _ in 0..<20 {
            await loop.run()
            await Task.yield()
        }
        return ended
    }
}
