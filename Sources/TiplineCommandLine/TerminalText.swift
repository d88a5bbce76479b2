/// Text that Tipline did not write itself, made safe to print on a terminal.
///
/// A tip, a reply, a file name or a server's error message can carry bytes
/// that a terminal obeys rather than shows: ESC and CSI/OSC sequences (clear
/// the screen, move the cursor to overwrite a line, hide text, OSC 8 links,
/// OSC 52 clipboard writes), C1 controls, backspace and carriage return, and
/// bidi overrides that reorder what is shown. Any of them lets a tipster
/// print a fake "status: closed" or "audit OK" line in front of a responder.
///
/// Every human-readable printer passes such text through ``clean(_:newlines:)``,
/// which shows each of those characters visibly instead of sending it: C0
/// controls and DEL as their Unicode control pictures (ESC as `␛`, CR as `␍`),
/// C1 controls, bidi controls and invisible formatting as `\u{XXXX}`. The
/// `--json` output keeps the exact text, yet is just as inert: JSON encoders
/// escape C0 controls only, so ``json(_:)`` writes DEL, C1, bidi and other
/// invisible characters as JSON `\uXXXX` escapes too, which every JSON
/// reader turns back into the same text.
///
/// Kept as they are: newlines where the caller's layout expects them, tabs,
/// and the zero-width space, non-joiner and joiner (U+200B–U+200D), which
/// Burmese, Indic and Arabic text and emoji need to display correctly and
/// which reorder nothing.
public enum TerminalText {
    /// `text` with every character a terminal would obey shown visibly.
    /// With `newlines: false` (a table cell, a file name, a one-line
    /// field) a newline is shown as `␤` too.
    public static func clean(_ text: some StringProtocol, newlines: Bool = true) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A where !newlines:
                out.append("\u{2424}")
            case _ where !isObeyed(scalar):
                out.append(scalar)
            case 0x00...0x1F:
                // The Control Pictures block mirrors C0 in order: U+2400 + code.
                out.append(Unicode.Scalar(0x2400 + scalar.value)!)
            case 0x7F:
                out.append("\u{2421}")
            default:
                out.append(contentsOf: escaped(scalar).unicodeScalars)
            }
        }
        return String(out)
    }

    /// Whether a terminal would obey `scalar` rather than show it: C0
    /// controls but tab and newline, DEL, C1 controls, bidi controls and
    /// invisible formatting, except the zero-width space, non-joiner and
    /// joiner (U+200B–U+200D). The one rule ``clean(_:newlines:)`` and
    /// ``json(_:)`` share.
    static func isObeyed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x200B...0x200D: false
        case 0x00...0x1F, 0x7F...0x9F: true
        default: isHidden(scalar)
        }
    }

    /// Bidi controls, and characters that are invisible yet change what is
    /// shown: format characters (Cf) and the line and paragraph separators.
    static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .format, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }

    /// JSON text (as a JSON encoder wrote it) with every character a terminal
    /// would obey written as a JSON `\uXXXX` escape (a surrogate pair above
    /// U+FFFF). Such characters can only stand inside strings, where the
    /// escape means exactly the same character, so the document is unchanged
    /// for any reader; newlines and tabs outside strings are the layout.
    public static func json(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard isObeyed(scalar) else {
                out.append(scalar)
                continue
            }
            let units: [UInt32] = scalar.value > 0xFFFF
                ? [0xD800 + ((scalar.value - 0x10000) >> 10), 0xDC00 + ((scalar.value - 0x10000) & 0x3FF)]
                : [scalar.value]
            for unit in units { out.append(contentsOf: ("\\u" + hex4(unit)).unicodeScalars) }
        }
        return String(out)
    }

    /// `\u{XXXX}`, as ``clean(_:newlines:)`` shows a character it will not send.
    static func escaped(_ scalar: Unicode.Scalar) -> String { "\\u{" + hex4(scalar.value) + "}" }

    /// Upper-case hex of at least four digits.
    static func hex4(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// A line typed at a prompt, with terminal escape sequences removed:
    /// arrow keys, Home/End, function keys (CSI `ESC [ … final` and SS3
    /// `ESC O x`) and any other ESC-introduced pair. The terminal's own line
    /// editing already applied backspace; a backspace or other control that
    /// still arrives is dropped, so nothing a key sent is stored in a tip.
    public static func typed(_ line: String) -> String {
        var out = String.UnicodeScalarView()
        var scalars = line.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            switch scalar.value {
            case 0x1B:
                guard let kind = scalars.next() else { break }
                if kind == "[" {
                    // CSI: parameter and intermediate bytes, then one final byte 0x40–0x7E.
                    while let next = scalars.next(), !(0x40...0x7E).contains(next.value) {}
                } else if kind == "O" || kind == "N" {
                    _ = scalars.next()
                } else if kind == "]" || kind == "P" || kind == "X" || kind == "^" || kind == "_" {
                    // OSC, DCS and other strings: up to BEL or ESC \.
                    while let next = scalars.next(), next.value != 0x07 {
                        if next.value == 0x1B { _ = scalars.next(); break }
                    }
                }
            case 0x09:
                out.append(" ")
            case 0x00...0x1F, 0x7F, 0x80...0x9F:
                continue
            default:
                out.append(scalar)
            }
        }
        return String(out)
    }
}
