import NIOCore

/// Decodes the preface and then frames (PROTOCOL.md §11.1–11.2) as a small
/// state machine. The length prefix is checked against the limit the moment
/// it is read, before any payload is buffered, so a 4 GiB length costs
/// nothing: the connection fails at once.
public struct FrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = WireEvent

    enum State {
        case waitingForPreface
        case waitingForHeader
        case waitingForPayload(length: Int, type: FrameType, flags: FrameFlags, streamID: UInt32)
    }

    private var state: State
    private var reportedPartial = false
    public let maximumFrameSize: Int
    private let reportsPartial: Bool
    /// Charged with the bytes received but not yet decoded into a frame, so
    /// that thousands of connections each sending most of a large frame
    /// count against the server's memory budget.
    private let account: BufferAccount?

    /// - Parameters:
    ///   - maximumFrameSize: the largest payload accepted, in bytes.
    ///   - expectPreface: whether the stream starts with the peer's preface.
    ///   - reportsPartial: whether to emit ``WireEvent/partial`` (the read
    ///     timeout needs it; a test comparing outputs across chunkings does not).
    public init(maximumFrameSize: Int, expectPreface: Bool = true, reportsPartial: Bool = true) {
        self.init(maximumFrameSize: maximumFrameSize, expectPreface: expectPreface, reportsPartial: reportsPartial,
                  account: nil)
    }

    init(maximumFrameSize: Int, expectPreface: Bool = true, reportsPartial: Bool = true, account: BufferAccount?) {
        self.account = account
        self.maximumFrameSize = maximumFrameSize
        self.state = expectPreface ? .waitingForPreface : .waitingForHeader
        self.reportsPartial = reportsPartial
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let event = try decodeOne(&buffer) else {
            if let account, let refused = account.adjust(to: buffer.readableBytes) {
                throw ProtocolViolation.overBudget(scope: refused)
            }
            if reportsPartial && buffer.readableBytes > 0 && !reportedPartial {
                reportedPartial = true
                context.fireChannelRead(wrapInboundOut(.partial))
            }
            return .needMoreData
        }
        reportedPartial = false
        if let account, let refused = account.adjust(to: buffer.readableBytes) {
            throw ProtocolViolation.overBudget(scope: refused)
        }
        context.fireChannelRead(wrapInboundOut(event))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // A peer that closes mid-frame simply leaves; the partial bytes are dropped.
        while let event = try decodeOne(&buffer) {
            context.fireChannelRead(wrapInboundOut(event))
        }
        buffer.clear()
        account?.close()
        return .needMoreData
    }

    /// The decoding step, separate from the channel so the fuzzer can drive it.
    public mutating func decodeOne(_ buffer: inout ByteBuffer) throws -> WireEvent? {
        switch state {
        case .waitingForPreface:
            // Reject garbage as soon as the bytes seen so far differ from the magic.
            let available = min(buffer.readableBytes, ConnectionPreface.magic.count)
            if let seen = buffer.getBytes(at: buffer.readerIndex, length: available),
               seen != Array(ConnectionPreface.magic.prefix(available)) {
                throw ProtocolViolation.badPreface
            }
            guard buffer.readableBytes >= ConnectionPreface.byteCount else { return nil }
            buffer.moveReaderIndex(forwardBy: ConnectionPreface.magic.count)
            let version = buffer.readInteger(as: UInt8.self)!
            guard version == ConnectionPreface.version else { throw ProtocolViolation.unsupportedVersion(version) }
            state = .waitingForHeader
            return .preface(version: version)

        case .waitingForHeader:
            guard buffer.readableBytes >= Frame.headerSize,
                  let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self),
                  let typeByte = buffer.getInteger(at: buffer.readerIndex + 4, as: UInt8.self),
                  let flags = buffer.getInteger(at: buffer.readerIndex + 5, as: UInt8.self),
                  let streamID = buffer.getInteger(at: buffer.readerIndex + 6, as: UInt32.self)
            else {
                // Even before the header is complete, a length prefix over the
                // limit is refused from its first four bytes.
                if let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self), Int(length) > maximumFrameSize {
                    throw ProtocolViolation.frameTooLarge(length: length, limit: maximumFrameSize)
                }
                return nil
            }
            guard Int(length) <= maximumFrameSize else {
                throw ProtocolViolation.frameTooLarge(length: length, limit: maximumFrameSize)
            }
            guard let type = FrameType(rawValue: typeByte) else { throw ProtocolViolation.unknownFrameType(typeByte) }
            buffer.moveReaderIndex(forwardBy: Frame.headerSize)
            state = .waitingForPayload(length: Int(length), type: type, flags: FrameFlags(rawValue: flags), streamID: streamID)
            return try decodeOne(&buffer)

        case .waitingForPayload(let length, let type, let flags, let streamID):
            guard let payload = buffer.readSlice(length: length) else { return nil }
            state = .waitingForHeader
            return .frame(Frame(type: type, flags: flags, streamID: streamID, payload: payload))
        }
    }
}
