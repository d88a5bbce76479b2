import NIOCore

/// Call metadata: ordered key/value pairs (PROTOCOL.md §11.4).
///
///     metadata = u8(count) || count × ( u8(len(key)) || key || u16(len(value)) || value )
///
/// Keys are 1–64 bytes of `a`–`z`, `0`–`9` and `-`; values are bytes.
public struct Metadata: Sendable, Equatable, Sequence {
    public static let maximumEntries = 64
    public private(set) var entries: [(key: String, value: [UInt8])]

    public init(_ entries: [(String, [UInt8])] = []) {
        self.entries = entries.map { (key: $0.0, value: $0.1) }
    }

    public static func == (lhs: Metadata, rhs: Metadata) -> Bool {
        lhs.entries.map(\.key) == rhs.entries.map(\.key) && lhs.entries.map(\.value) == rhs.entries.map(\.value)
    }

    public func makeIterator() -> IndexingIterator<[(key: String, value: [UInt8])]> { entries.makeIterator() }

    /// The first value for `key`.
    public subscript(_ key: String) -> [UInt8]? { entries.first { $0.key == key }?.value }

    public mutating func append(_ key: String, _ value: [UInt8]) {
        precondition(Self.isValidKey(key), "invalid metadata key")
        entries.append((key: key, value: value))
    }

    public static func isValidKey(_ key: String) -> Bool {
        let bytes = Array(key.utf8)
        return (1...64).contains(bytes.count) && bytes.allSatisfy {
            ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                || $0 == UInt8(ascii: "-")
        }
    }

    public func write(into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(entries.count))
        for (key, value) in entries {
            buffer.writeInteger(UInt8(key.utf8.count))
            buffer.writeString(key)
            buffer.writeInteger(UInt16(value.count))
            buffer.writeBytes(value)
        }
    }

    /// Reads metadata strictly; `nil` on any malformation.
    public static func read(from buffer: inout ByteBuffer) -> Metadata? {
        guard let count = buffer.readInteger(as: UInt8.self), Int(count) <= maximumEntries else { return nil }
        var result = Metadata()
        for _ in 0..<count {
            guard let keyLength = buffer.readInteger(as: UInt8.self),
                  let key = buffer.readString(length: Int(keyLength)), isValidKey(key),
                  let valueLength = buffer.readInteger(as: UInt16.self),
                  let value = buffer.readBytes(length: Int(valueLength))
            else { return nil }
            result.entries.append((key: key, value: value))
        }
        return result
    }
}
