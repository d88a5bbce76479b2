import NIOCore

/// The eight bytes each side sends first (PROTOCOL.md §11.1):
/// `"TLRPC" || 0x0D 0x0A || version`. The CR LF catches a text-mode channel
/// that would mangle the binary frames that follow.
public enum ConnectionPreface {
    public static let magic: [UInt8] = Array("TLRPC\r\n".utf8)
    public static let version: UInt8 = 1
    public static let byteCount = 8

    public static var bytes: [UInt8] { magic + [version] }

    public static func write(into buffer: inout ByteBuffer) {
        buffer.writeBytes(bytes)
    }
}
