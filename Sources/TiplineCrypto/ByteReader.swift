/// Reads the canonical big-endian encodings of proto/PROTOCOL.md §2 from
/// untrusted bytes. Every read checks the remaining length first and throws
/// ``ByteReader/Truncated`` instead of reading past the end.
public struct ByteReader: Sendable {
    /// The input ended before a field was complete.
    public struct Truncated: Error, Equatable, Sendable {
        /// The byte offset at which the missing field started.
        public let offset: Int
    }

    private let bytes: [UInt8]
    /// The offset of the next unread byte.
    public private(set) var offset: Int

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.offset = 0
    }

    /// The number of bytes not read yet.
    public var remaining: Int { bytes.count - offset }
    /// True when every byte has been read.
    public var isAtEnd: Bool { offset == bytes.count }

    public mutating func readBytes(_ count: Int) throws(Truncated) -> [UInt8] {
        guard count >= 0, remaining >= count else { throw Truncated(offset: offset) }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    public mutating func readUInt8() throws(Truncated) -> UInt8 {
        guard remaining >= 1 else { throw Truncated(offset: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func readUInt16() throws(Truncated) -> UInt16 {
        let b = try readBytes(2)
        return UInt16(b[0]) << 8 | UInt16(b[1])
    }

    public mutating func readUInt32() throws(Truncated) -> UInt32 {
        let b = try readBytes(4)
        return b.reduce(0) { $0 << 8 | UInt32($1) }
    }

    public mutating func readUInt64() throws(Truncated) -> UInt64 {
        let b = try readBytes(8)
        return b.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Reads `u8(len) || data`.
    public mutating func readShortString() throws(Truncated) -> [UInt8] {
        let length = try readUInt8()
        return try readBytes(Int(length))
    }

    /// Everything not read yet.
    public mutating func readRest() -> [UInt8] {
        defer { offset = bytes.count }
        return Array(bytes[offset...])
    }
}
