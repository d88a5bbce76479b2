/// Builds the canonical big-endian encodings of proto/PROTOCOL.md §2.
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func write(_ value: UInt8) { bytes.append(value) }

    public mutating func write(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    public mutating func write(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
        }
    }

    public mutating func write(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    public mutating func write(_ data: some Sequence<UInt8>) { bytes.append(contentsOf: data) }

    /// `u8(len) || data`; the caller guarantees `data.count <= 255`.
    public mutating func writeShortString(_ data: [UInt8]) {
        precondition(data.count <= 255, "short string longer than 255 bytes")
        write(UInt8(data.count))
        write(data)
    }
}
