import NIOCore
import SwiftProtobuf
import Testing
@testable import TiplineRPC

/// Hand-made hostile frames against a live server: each gets GOAWAY with the
/// status PROTOCOL.md §12 names and a closed connection, while a well-behaved
/// client on the same server carries on.
@Suite struct ProtocolViolationTests {
    func expectGoAway(_ frames: [Frame], status: RPCStatus, limits: RPCLimits = RPCLimits()) async throws {
        let server = try await TestService().start(limits: limits)
        let good = try await RPCClient.connect(host: "127.0.0.1", port: server.port)
        let raw = try await RawConnection(port: server.port)
        try await raw.send(ConnectionPreface.bytes)
        for frame in frames { try await raw.send(frame) }
        #expect(await raw.waitForClose(timeout: .seconds(5)))
        #expect(raw.goAway()?.status == status)
        #expect(try await good.unary(TestService.echo, Google_Protobuf_UInt64Value(9), as: Google_Protobuf_UInt64Value.self).value == 9)
        await raw.close()
        await good.close()
        await server.shutdown()
    }

    @Test func evenStreamID() async throws {
        try await expectGoAway([Frame(type: .callStart, streamID: 2, payload: CallStart(method: TestService.echo).encoded())],
                               status: .invalidArgument)
    }

    @Test func streamIDGoingBackwards() async throws {
        let start = CallStart(method: TestService.echo).encoded()
        try await expectGoAway([Frame(type: .callStart, streamID: 5, payload: start),
                                Frame(type: .callStart, streamID: 3, payload: start)], status: .invalidArgument)
    }

    @Test func messageForAStreamNeverOpened() async throws {
        try await expectGoAway([Frame(type: .message, streamID: 9, payload: ByteBuffer(bytes: [1]))], status: .invalidArgument)
    }

    @Test func clientSendsGoAway() async throws {
        try await expectGoAway([Frame(type: .goAway, streamID: 0, payload: GoAway(lastStreamID: 0, status: .ok, message: "").encoded())],
                               status: .invalidArgument)
    }

    @Test func malformedCallStart() async throws {
        try await expectGoAway([Frame(type: .callStart, streamID: 1, payload: ByteBuffer(bytes: [0, 0, 0, 0, 9, 65]))],
                               status: .invalidArgument)
    }

    @Test func pingWithWrongLength() async throws {
        try await expectGoAway([Frame(type: .ping, streamID: 0, payload: ByteBuffer(bytes: [1, 2, 3]))], status: .invalidArgument)
    }

    @Test func oversizedMetadata() async throws {
        var limits = RPCLimits()
        limits.maximumMetadataSize = 64
        var metadata = Metadata()
        metadata.append("big", [UInt8](repeating: 1, count: 500))
        try await expectGoAway([Frame(type: .callStart, streamID: 1,
                                      payload: CallStart(method: TestService.echo, metadata: metadata).encoded())],
                               status: .resourceExhausted, limits: limits)
    }

    /// Whether the raw connection received a CALL_END for `stream` with `status`.
    func receivedCallEnd(_ raw: RawConnection, stream: UInt32, status: RPCStatus) async -> Bool {
        await eventually {
            var decoder = FrameDecoder(maximumFrameSize: 1 << 20)
            var buffer = ByteBuffer(bytes: raw.box.bytes.withLock { $0 })
            while let event = try? decoder.decodeOne(&buffer) {
                if case .frame(let f) = event, f.type == .callEnd, f.streamID == stream,
                   (try? CallEnd(decoding: f.payload))?.status == status {
                    return true
                }
            }
            return false
        }
    }

    @Test func unaryWithTwoRequestsIsInvalid() async throws {
        let server = try await TestService().start()
        let raw = try await RawConnection(port: server.port)
        let one = ByteBuffer(bytes: try Google_Protobuf_UInt64Value(1).serializedBytes() as [UInt8])
        try await raw.send(ConnectionPreface.bytes)
        try await raw.send(Frame(type: .callStart, streamID: 1, payload: CallStart(method: TestService.echo).encoded()))
        try await raw.send(Frame(type: .message, streamID: 1, payload: one))
        try await raw.send(Frame(type: .message, flags: .endStream, streamID: 1, payload: one))
        #expect(await receivedCallEnd(raw, stream: 1, status: .invalidArgument))
        // The connection goes on serving: a well-formed call on it is answered.
        try await raw.send(Frame(type: .callStart, streamID: 3, payload: CallStart(method: TestService.echo).encoded()))
        try await raw.send(Frame(type: .message, flags: .endStream, streamID: 3, payload: one))
        #expect(await receivedCallEnd(raw, stream: 3, status: .ok))
        await raw.close()
        await server.shutdown()
    }

    @Test func unaryWithNoRequestIsInvalid() async throws {
        let server = try await TestService().start()
        let raw = try await RawConnection(port: server.port)
        try await raw.send(ConnectionPreface.bytes)
        try await raw.send(Frame(type: .callStart, flags: .endStream, streamID: 1,
                                 payload: CallStart(method: TestService.echo).encoded()))
        #expect(await receivedCallEnd(raw, stream: 1, status: .invalidArgument))
        await raw.close()
        await server.shutdown()
    }

    @Test func clientStreamingWithNoRequests() async throws {
        let server = try await TestService().start()
        let client = try await RPCClient.connect(host: "127.0.0.1", port: server.port)
        let total = try await client.clientStreaming(TestService.collect, requests: AsyncStreamOf<Google_Protobuf_BytesValue>([]),
                                                     as: Google_Protobuf_UInt64Value.self)
        #expect(total.value == 0)
        await client.close()
        await server.shutdown()
    }
}
