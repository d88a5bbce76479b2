import NIOCore

/// The payload of CALL_START (PROTOCOL.md §11.4):
///
///     u32(timeout_ms) || u8(len(method)) || method || metadata
///
/// `timeout_ms = 0` means no deadline. The method is `/package.Service/Method`.
public struct CallStart: Sendable, Equatable {
    public var method: String
    /// Milliseconds from receipt; 0 for none.
    public var timeoutMilliseconds: UInt32
    public var metadata: Metadata

    public init(method: String, timeoutMilliseconds: UInt32 = 0, metadata: Metadata = Metadata()) {
        self.method = method
        self.timeoutMilliseconds = timeoutMilliseconds
        self.metadata = metadata
    }

    public func encoded(allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 8 + method.utf8.count)
        buffer.writeInteger(timeoutMilliseconds)
        buffer.writeInteger(UInt8(method.utf8.count))
        buffer.writeString(method)
        metadata.write(into: &buffer)
        return buffer
    }

    public init(decoding payload: ByteBuffer) throws(ProtocolViolation) {
        var buffer = payload
        guard let timeout = buffer.readInteger(as: UInt32.self),
              let length = buffer.readInteger(as: UInt8.self), length > 0,
              let method = buffer.readString(length: Int(length)),
              let metadata = Metadata.read(from: &buffer), buffer.readableBytes == 0
        else { throw .malformedPayload(.callStart) }
        self.init(method: method, timeoutMilliseconds: timeout, metadata: metadata)
    }
}
