import Foundation

/// What a person types, pastes or drags in when asked for a file, read as
/// the path(s) meant: surrounding spaces dropped; `'…'` and `"…"` quotes and
/// backslash escapes (as terminals write dragged-in names, `My\ Photo.jpg`)
/// undone; `file://` addresses decoded; `~` and `~/…` taken as the home
/// folder. Several dragged files on one line give several paths. Plain text
/// that names an existing file is taken as it stands, spaces and all.
public enum TypedPath {
    public static func paths(in typed: String, home: String = TypedPath.home,
                             exists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }) -> [String] {
        let text = typed.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return [] }
        let plain = expandingHome(text, home: home)
        if exists(plain) { return [plain] }
        let words = shellWords(text)
        return words.map { word in
            if word.hasPrefix("file://"), let url = URL(string: word), url.isFileURL { return url.path }
            return expandingHome(word, home: home)
        }
    }

    /// `$HOME`, or the account's home when it is unset.
    public static var home: String {
        if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty { return home }
        return NSHomeDirectory()
    }

    static func expandingHome(_ path: String, home: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst() }
        return path
    }

    /// Splits like a POSIX shell would, without expanding anything but
    /// quotes and escapes: `'a b' "c\"d" e\ f` gives `a b`, `c"d`, `e f`.
    static func shellWords(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
                inWord = true
                continue
            }
            switch (quote, character) {
            case (nil, "\\"), ("\"", "\\"):
                escaped = true
                inWord = true
            case (nil, "'"), (nil, "\""):
                quote = character
                inWord = true
            case ("'", "'"), ("\"", "\""):
                quote = nil
            case (nil, _) where character.isWhitespace:
                if inWord { words.append(current) }
                current = ""
                inWord = false
            default:
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
