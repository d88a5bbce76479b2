import NIOCore

/// The payload of GOAWAY (PROTOCOL.md §11.6):
///
///     u32(last_stream_id) || u8(status) || u16(len(message)) || message
///
/// Calls with ids up to `last_stream_id` may still finish; later ones were not
/// and will not be processed.
public struct GoAway: Sendable, Equatable {
    public var lastStreamID: UInt32
    public var status: RPCStatus
    public var message: String

    public init(lastStreamID: UInt32, status: RPCStatus, message: String) {
        self.lastStreamID = lastStreamID
        self.status = status
        self.message = message.utf8Prefix(CallEnd.maximumMessageLength)
    }

    public func encoded() -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(lastStreamID)
        buffer.writeInteger(status.rawValue)
        buffer.writeInteger(UInt16(message.utf8.count))
        buffer.writeString(message)
        return buffer
    }

    public init(decoding payload: ByteBuffer) throws(ProtocolViolation) {
        var buffer = payload
        guard let last = buffer.readInteger(as: UInt32.self),
              let statusByte = buffer.readInteger(as: UInt8.self), let status = RPCStatus(rawValue: statusByte),
              let length = buffer.readInteger(as: UInt16.self), Int(length) <= CallEnd.maximumMessageLength,
              let message = buffer.readString(length: Int(length)), buffer.readableBytes == 0
        else { throw .malformedPayload(.goAway) }
        self.init(lastStreamID: last, status: status, message: message)
    }
}
