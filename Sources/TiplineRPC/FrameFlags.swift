/// Frame flag bits (PROTOCOL.md §11.3).
public struct FrameFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// On CALL_START or MESSAGE from the client: no more request messages follow.
    public static let endStream = FrameFlags(rawValue: 0x01)
    /// On PING: this is the answer.
    public static let ack = FrameFlags(rawValue: 0x01)
}
