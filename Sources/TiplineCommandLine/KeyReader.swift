import Glibc

/// Turns the bytes a terminal sends in raw mode into keys for ``LineEditor``:
/// UTF-8 characters, control keys, and the escape sequences of arrows, Home,
/// End and Delete (both the CSI and the SS3 forms terminals use). Any other
/// sequence is read to its end and reported as ``Key/ignored``.
enum KeyReader {
    enum Key: Equatable {
        case character(Character)
        case enter, endOfInput, interrupt
        case backspace, delete, left, right, home, end
        case clearBefore, clearAfter, deleteWord
        case ignored
    }

    /// A carriage return was the last key: a line feed right after it is
    /// the same Enter (terminals and pastes send CR LF).
    nonisolated(unsafe) private static var afterCarriageReturn = false

    /// The next key, or `nil` when input has ended.
    static func next() -> Key? {
        guard let byte = readByte() else { return nil }
        let wasCarriageReturn = afterCarriageReturn
        afterCarriageReturn = byte == 0x0D
        switch byte {
        case 0x0D: return .enter
        case 0x0A: return wasCarriageReturn ? .ignored : .enter
        case 0x04: return .endOfInput
        case 0x03: return .interrupt
        case 0x7F, 0x08: return .backspace
        case 0x01: return .home
        case 0x05: return .end
        case 0x02: return .left
        case 0x06: return .right
        case 0x15: return .clearBefore
        case 0x0B: return .clearAfter
        case 0x17: return .deleteWord
        case 0x09: return .character(" ")
        case 0x1B: return escapeSequence()
        case 0x00...0x1F: return .ignored
        default: return utf8Character(first: byte)
        }
    }

    private static func escapeSequence() -> Key {
        guard let kind = readByte() else { return .ignored }
        switch kind {
        case UInt8(ascii: "["):
            var parameters: [UInt8] = []
            while let next = readByte() {
                if (0x40...0x7E).contains(next) {
                    return csi(parameters: String(decoding: parameters, as: UTF8.self), final: next)
                }
                parameters.append(next)
                if parameters.count > 32 { return .ignored }
            }
            return .ignored
        case UInt8(ascii: "O"):
            switch readByte() {
            case UInt8(ascii: "C"): return .right
            case UInt8(ascii: "D"): return .left
            case UInt8(ascii: "H"): return .home
            case UInt8(ascii: "F"): return .end
            default: return .ignored
            }
        default:
            return .ignored
        }
    }

    private static func csi(parameters: String, final: UInt8) -> Key {
        switch final {
        case UInt8(ascii: "C"): return .right
        case UInt8(ascii: "D"): return .left
        case UInt8(ascii: "H"): return .home
        case UInt8(ascii: "F"): return .end
        case UInt8(ascii: "~"):
            switch parameters {
            case "1", "7": return .home
            case "4", "8": return .end
            case "3": return .delete
            default: return .ignored
            }
        default: return .ignored
        }
    }

    /// Reads the rest of a UTF-8 character. A malformed sequence is dropped.
    private static func utf8Character(first: UInt8) -> Key {
        let length = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 1
        var bytes = [first]
        while bytes.count < length, let next = readByte() {
            guard next & 0xC0 == 0x80 else { return .ignored }
            bytes.append(next)
        }
        guard let text = String(validating: bytes, as: UTF8.self), let character = text.first else { return .ignored }
        return .character(character)
    }

    private static func readByte() -> UInt8? {
        var byte: UInt8 = 0
        while true {
            let n = Glibc.read(0, &byte, 1)
            if n == 1 { return byte }
            if n < 0 && errno == EINTR { continue }
            return nil
        }
    }
}
