import NIOCore

/// The payload of CALL_END (PROTOCOL.md §11.4):
///
///     u8(status) || u16(len(message)) || message (UTF-8) || metadata
public struct CallEnd: Sendable, Equatable {
    public static let maximumMessageLength = 1024

    public var status: RPCStatus
    public var message: String
    public var metadata: Metadata

    public init(status: RPCStatus, message: String = "", metadata: Metadata = Metadata()) {
        self.status = status
        self.message = message.utf8Prefix(Self.maximumMessageLength)
        self.metadata = metadata
    }

    public func encoded(allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 4 + message.utf8.count)
        buffer.writeInteger(status.rawValue)
        buffer.writeInteger(UInt16(message.utf8.count))
        buffer.writeString(message)
        metadata.write(into: &buffer)
        return buffer
    }

    public init(decoding payload: ByteBuffer) throws(ProtocolViolation) {
        var buffer = payload
        guard let statusByte = buffer.readInteger(as: UInt8.self), let status = RPCStatus(rawValue: statusByte),
              let length = buffer.readInteger(as: UInt16.self), Int(length) <= Self.maximumMessageLength,
              let message = buffer.readString(length: Int(length)),
              let metadata = Metadata.read(from: &buffer), buffer.readableBytes == 0
        else { throw .malformedPayload(.callEnd) }
        self.init(status: status, message: message, metadata: metadata)
    }
}
