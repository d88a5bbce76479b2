import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing
@testable import TiplineRPC

@Suite struct FrameDecoderTests {
    func frameBytes(_ frame: Frame) -> ByteBuffer {
        var buffer = ByteBuffer()
        FrameEncoder.write(frame, into: &buffer)
        return buffer
    }

    @Test func decodesAcrossEveryChunking() throws {
        let frames = [
            Frame(type: .callStart, streamID: 1, payload: CallStart(method: "/a.B/C", timeoutMilliseconds: 5).encoded()),
            Frame(type: .message, flags: .endStream, streamID: 1, payload: ByteBuffer(bytes: [1, 2, 3])),
            Frame(type: .ping, streamID: 0, payload: ByteBuffer(bytes: [0, 0, 0, 0, 0, 0, 0, 9])),
            Frame(type: .message, streamID: 3, payload: ByteBuffer()),
        ]
        var input = ByteBuffer()
        for f in frames { var b = frameBytes(f); input.writeBuffer(&b) }
        // The verifier feeds the bytes whole, byte by byte and in random splits,
        // and checks the same frames come out every time. It reuses one decoder
        // for several inputs, so it sees the frame stream after the preface.
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [(input, frames.map { .frame($0) })],
            decoderFactory: { FrameDecoder(maximumFrameSize: 1024, expectPreface: false, reportsPartial: false) })
    }

    @Test func oversizedLengthIsRejectedFromItsPrefixAlone() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(maximumFrameSize: 1 << 20)))
        try channel.writeInbound(ByteBuffer(bytes: ConnectionPreface.bytes))
        #expect(try channel.readInbound(as: WireEvent.self) == .preface(version: 1))
        // Four bytes of a 4 GiB length prefix, no more: refused at once,
        // before a header, let alone a payload, is buffered.
        #expect(throws: ProtocolViolation.frameTooLarge(length: UInt32.max, limit: 1 << 20)) {
            try channel.writeInbound(ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF]))
        }
        _ = try? channel.finish()
    }

    @Test func garbagePrefaceIsRejectedAtTheFirstWrongByte() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(maximumFrameSize: 1024)))
        #expect(throws: ProtocolViolation.badPreface) { try channel.writeInbound(ByteBuffer(string: "GET")) }
        _ = try? channel.finish()
    }

    @Test func unsupportedVersionAndUnknownType() throws {
        var decoder = FrameDecoder(maximumFrameSize: 1024)
        var buffer = ByteBuffer(bytes: ConnectionPreface.magic + [9])
        #expect(throws: ProtocolViolation.unsupportedVersion(9)) { try decoder.decodeOne(&buffer) }
        var plain = FrameDecoder(maximumFrameSize: 1024, expectPreface: false)
        var unknown = ByteBuffer(bytes: [0, 0, 0, 0, 0x7F, 0, 0, 0, 0, 1])
        #expect(throws: ProtocolViolation.unknownFrameType(0x7F)) { try plain.decodeOne(&unknown) }
    }

    @Test func partialFramesAreReportedOnce() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(maximumFrameSize: 1024)))
        try channel.writeInbound(ByteBuffer(bytes: ConnectionPreface.bytes + [0, 0]))
        #expect(try channel.readInbound(as: WireEvent.self) == .preface(version: 1))
        #expect(try channel.readInbound(as: WireEvent.self) == .partial)
        try channel.writeInbound(ByteBuffer(bytes: [0]))
        #expect(try channel.readInbound(as: WireEvent.self) == nil)
        _ = try? channel.finish()
    }

    @Test func payloadCodecsRoundTripAndRejectTrailingBytes() throws {
        var metadata = Metadata()
        metadata.append("tl-key-id", [1, 2, 3])
        let start = CallStart(method: "/tipline.v1.X/Y", timeoutMilliseconds: 1500, metadata: metadata)
        #expect(try CallStart(decoding: start.encoded()) == start)
        var extra = start.encoded()
        extra.writeInteger(UInt8(0))
        #expect(throws: ProtocolViolation.malformedPayload(.callStart)) { try CallStart(decoding: extra) }
        let end = CallEnd(status: .notFound, message: "no such tip")
        #expect(try CallEnd(decoding: end.encoded()) == end)
        let goAway = GoAway(lastStreamID: 7, status: .unavailable, message: "bye")
        #expect(try GoAway(decoding: goAway.encoded()) == goAway)
        #expect(throws: ProtocolViolation.malformedPayload(.callEnd)) { try CallEnd(decoding: ByteBuffer(bytes: [99, 0, 0, 0])) }
        // A long message is cut at a character boundary and still decodes.
        let long = CallEnd(status: .internal, message: String(repeating: "a", count: 1023) + "é")
        #expect(long.message.utf8.count == 1023)
        #expect(try CallEnd(decoding: long.encoded()) == long)
    }
}
