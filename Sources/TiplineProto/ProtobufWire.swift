/// Protobuf's wire format written by hand, for the tests and fuzzers that
/// must send what generated code never would: integers at every extreme,
/// fields of the wrong width, messages built from fuzz bytes. (The
/// swift-protobuf encoder is internal, and these callers need its raw form.)
public enum ProtobufWire {
    /// The wire types of protobuf's encoding.
    public enum WireType: UInt64, Sendable {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    /// `value` as a base-128 varint: 1 to 10 bytes.
    public static func varint(_ value: UInt64) -> [UInt8] {
        var rest = value, out: [UInt8] = []
        repeat {
            out.append(UInt8(rest & 0x7F) | (rest > 0x7F ? 0x80 : 0))
            rest >>= 7
        } while rest != 0
        return out
    }

    /// A field's key: its number and wire type.
    public static func key(_ number: Int32, _ type: WireType) -> [UInt8] {
        varint(UInt64(UInt32(bitPattern: number)) << 3 | type.rawValue)
    }

    /// A length-delimited field (bytes, string or message).
    public static func field(_ number: Int32, _ bytes: [UInt8]) -> [UInt8] {
        key(number, .lengthDelimited) + varint(UInt64(bytes.count)) + bytes
    }

    /// A varint field.
    public static func field(_ number: Int32, varint value: UInt64) -> [UInt8] {
        key(number, .varint) + varint(value)
    }

    /// A fixed-width field: the low 4 bytes of `value` for `.fixed32`, all 8 for `.fixed64`.
    public static func field(_ number: Int32, fixed value: UInt64, _ type: WireType) -> [UInt8] {
        let bytes = withUnsafeBytes(of: value.littleEndian, Array.init)
        return key(number, type) + (type == .fixed32 ? Array(bytes.prefix(4)) : bytes)
    }
}
