import Foundation
import Glibc

/// Where a tool's words go. Data goes to stdout; errors, warnings, prompts
/// and progress go to stderr, so `--json` output can be piped untouched.
/// Colour only when stderr is a terminal and `NO_COLOR` is unset
/// (https://no-color.org).
public enum Console {
    public static let useColor: Bool = {
        (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty && isatty(2) == 1
    }()

    public static var stderrIsTerminal: Bool { isatty(2) == 1 }

    /// Writes a line to stderr, unbuffered, so it is never lost to a crash or an exit.
    public static func error(_ message: String) {
        var line = message + "\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }

    /// A warning on stderr, in yellow where colour is allowed.
    public static func warning(_ message: String) {
        error(styled("warning: ", code: "33;1") + message)
    }

    /// Text bold (or as is without colour).
    public static func bold(_ text: String) -> String { styled(text, code: "1") }

    /// Text faint, for hints (or as is without colour).
    public static func dim(_ text: String) -> String { styled(text, code: "2") }

    public static func styled(_ text: String, code: String) -> String {
        useColor ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// A line of data on stdout.
    public static func output(_ text: String) {
        var line = text + "\n"
        line.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(1, buffer.baseAddress! + offset, buffer.count - offset)
                guard n > 0 else { return }
                offset += n
            }
        }
    }

    /// Prints `value` as JSON with sorted keys on stdout.
    public static func json(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        output(json: try encoder.encode(value))
    }

    /// Prints encoded JSON on stdout with every character a terminal would
    /// obey escaped (``TerminalText/json(_:)``): `--json` output is often
    /// read on a terminal too, and it carries strangers' text.
    public static func output(json data: Data) {
        output(TerminalText.json(String(decoding: data, as: UTF8.self)))
    }

    /// `word` as one shell word, for a command we print for the user to copy:
    /// as it is when it holds only characters no shell treats specially, else
    /// in single quotes (with any `'` written as `'\''`). A word holding a
    /// character the terminal would obey (a file name can hold an escape
    /// sequence) is written in ANSI-C quotes, `$'…\x1b…'`, so that nothing
    /// reaches the terminal raw and bash, zsh and ksh still read the same word.
    public static func shellWord(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_./:@%+=,-".unicodeScalars.contains(scalar))
        }
        if plain { return word }
        guard word.unicodeScalars.contains(where: { TerminalText.isObeyed($0) || $0 == "\n" }) else {
            return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }
        var quoted = "$'"
        for scalar in word.unicodeScalars {
            switch scalar {
            case "'", "\\": quoted += "\\" + String(scalar)
            case _ where TerminalText.isObeyed(scalar) || scalar == "\n" || scalar == "\t":
                quoted += scalar.value < 0x80 ? "\\x" + hex(scalar.value, width: 2)
                    : scalar.value <= 0xFFFF ? "\\u" + hex(scalar.value, width: 4) : "\\U" + hex(scalar.value, width: 8)
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "'"
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
