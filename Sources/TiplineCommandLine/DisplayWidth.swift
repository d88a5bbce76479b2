/// How many terminal columns text takes. Chinese takes two a character;
/// Thai, Lao, Burmese and Khmer put vowel and tone marks above and below
/// their letters, in no column of their own. Counting characters would let
/// the summary and the progress bar drift apart (issue 14).
///
/// The rules are glibc's `wcwidth`, which is what terminals on Linux follow:
/// non-spacing and enclosing marks and format characters take no column,
/// East Asian wide and full-width characters (and wide emoji) take two, and
/// everything else one. Spacing marks (Burmese and Khmer vowel signs) take one.
public enum DisplayWidth {
    public static func of(_ text: some StringProtocol) -> Int {
        text.unicodeScalars.reduce(0) { $0 + of($1) }
    }

    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }
        if value < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if (0x1160...0x11FF).contains(value) || value == 0x200B { return 0 }
        return wide.contains { $0.contains(value) } ? 2 : 1
    }

    /// The longest beginning of `text`, in whole characters, that fits in `columns`.
    public static func prefix(of text: String, fitting columns: Int) -> String {
        var used = 0
        var end = text.startIndex
        for character in text {
            let width = of(String(character))
            guard used + width <= columns else { break }
            used += width
            end = text.index(after: end)
        }
        return String(text[..<end])
    }

    /// `text` cut to `columns` (with "…" when cut) and padded with spaces to exactly `columns`.
    public static func fit(_ text: String, to columns: Int) -> String {
        var shown = text
        if of(text) > columns { shown = prefix(of: text, fitting: max(columns - 1, 0)) + "…" }
        return shown + String(repeating: " ", count: max(columns - of(shown), 0))
    }

    /// East Asian Wide and Fullwidth ranges (Unicode 15), and the emoji
    /// presented wide by default.
    private static let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
        0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693, 0x26A1...0x26A1,
        0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA,
        0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B,
        0x2728...0x2728, 0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
        0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF, 0x1F004...0x1F004, 0x1F0CF...0x1F0CF,
        0x1F18E...0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F251, 0x1F300...0x1F64F, 0x1F680...0x1F6FF,
        0x1F7E0...0x1F7EB, 0x1F90C...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}
