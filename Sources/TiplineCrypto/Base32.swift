/// Crockford's base-32 alphabet (proto/PROTOCOL.md §2.5): digits and upper-case
/// letters without I, L, O and U, so that what is read aloud or written by
/// hand is hard to get wrong.
public enum Base32 {
    /// `0123456789ABCDEFGHJKMNPQRSTVWXYZ`; a symbol's value is its index.
    public static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// The value of one typed character, case-insensitively, with Crockford's
    /// aliases O→0 and I, L→1. `nil` for anything else (U included).
    public static func value(of character: UInt8) -> UInt8? {
        var c = character
        if c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") { c -= 32 }
        switch c {
        case UInt8(ascii: "O"): return 0
        case UInt8(ascii: "I"), UInt8(ascii: "L"): return 1
        default:
            guard let index = alphabet.firstIndex(of: c) else { return nil }
            return UInt8(index)
        }
    }

    /// Encodes bytes most-significant bit first; the bit length must be a multiple of 5.
    public static func encode(_ bytes: [UInt8]) -> String {
        String(decoding: values(of: bytes).map { alphabet[Int($0)] }, as: UTF8.self)
    }

    /// The symbol values of `bytes`, most-significant bit first; the bit
    /// length must be a multiple of 5.
    public static func values(of bytes: [UInt8]) -> [UInt8] {
        precondition((bytes.count * 8) % 5 == 0, "bit length must be a multiple of 5")
        var out = [UInt8]()
        var buffer: UInt32 = 0
        var bits = 0
        for b in bytes {
            buffer = buffer << 8 | UInt32(b)
            bits += 8
            while bits >= 5 {
                bits -= 5
                out.append(UInt8((buffer >> UInt32(bits)) & 31))
            }
        }
        return out
    }

    /// Decodes symbol values back to bytes; the inverse of ``encode(_:)``.
    public static func decode(values: [UInt8]) -> [UInt8]? {
        guard (values.count * 5) % 8 == 0 else { return nil }
        var out = [UInt8]()
        var buffer: UInt32 = 0
        var bits = 0
        for v in values {
            guard v < 32 else { return nil }
            buffer = buffer << 5 | UInt32(v)
            bits += 5
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return out
    }

    /// Strips the separators people add (`-`, spaces) and maps each remaining
    /// character to its value. Returns the offending character's index on failure.
    public static func normalize(_ text: String) -> Result<[UInt8], InvalidCharacter> {
        var values = [UInt8]()
        for (index, c) in text.utf8.enumerated() {
            if c == UInt8(ascii: "-") || c == UInt8(ascii: " ") { continue }
            guard let v = value(of: c) else { return .failure(InvalidCharacter(position: index)) }
            values.append(v)
        }
        return .success(values)
    }

    /// A character outside the alphabet, at `position` in the typed text.
    public struct InvalidCharacter: Error, Equatable, Sendable {
        public let position: Int
    }

    /// Joins symbols in groups of `size` with `-`.
    public static func grouped(_ text: String, size: Int = 4) -> String {
        var groups = [String]()
        var current = ""
        for ch in text {
            current.append(ch)
            if current.count == size { groups.append(current); current = "" }
        }
        if !current.isEmpty { groups.append(current) }
        return groups.joined(separator: "-")
    }
}
