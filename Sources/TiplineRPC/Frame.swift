import NIOCore

/// One frame (PROTOCOL.md §11.2):
///
/// ```
/// +----------------------+----------+----------+------------------------+----------------+
/// | length (u32, BE)     | type (1) | flags (1)| stream id (u32, BE)    | payload        |
/// +----------------------+----------+----------+------------------------+----------------+
///   payload bytes only                            0 = the connection       `length` bytes
/// ```
public struct Frame: Sendable, Equatable {
    /// The fixed header's size in bytes.
    public static let headerSize = 10

    public var type: FrameType
    public var flags: FrameFlags
    public var streamID: UInt32
    public var payload: ByteBuffer

    public init(type: FrameType, flags: FrameFlags = [], streamID: UInt32, payload: ByteBuffer = ByteBuffer()) {
        self.type = type
        self.flags = flags
        self.streamID = streamID
        self.payload = payload
    }
}
