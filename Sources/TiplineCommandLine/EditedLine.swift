import Foundation
import Glibc

/// The line being edited by ``LineEditor``, and how it is drawn: the prompt,
/// then as much of the text as fits the terminal's width around the cursor,
/// scrolled sideways when the line is longer than the screen is wide.
struct EditedLine {
    let prompt: String
    var characters: [Character] = []
    var cursor = 0
    /// The first character shown, when the line scrolls.
    private var firstShown = 0

    init(prompt: String) {
        self.prompt = prompt
    }

    var text: String { String(characters) }

    mutating func insert(_ character: Character) {
        // Control characters and stray escapes never enter a tip.
        guard !TerminalText.typed(String(character)).isEmpty else { return }
        characters.insert(character, at: cursor)
        cursor += 1
    }

    mutating func deleteBackward() {
        guard cursor > 0 else { return }
        characters.remove(at: cursor - 1)
        cursor -= 1
    }

    mutating func deleteForward() {
        guard cursor < characters.count else { return }
        characters.remove(at: cursor)
    }

    mutating func move(by offset: Int) {
        cursor = min(max(cursor + offset, 0), characters.count)
    }

    mutating func clearBefore() {
        characters.removeSubrange(..<cursor)
        cursor = 0
    }

    mutating func deleteWord() {
        var start = cursor
        while start > 0 && characters[start - 1] == " " { start -= 1 }
        while start > 0 && characters[start - 1] != " " { start -= 1 }
        characters.removeSubrange(start..<cursor)
        cursor = start
    }

    /// Redraws the line in place: carriage return, prompt, the visible
    /// text, erase to the end of the line, then the cursor moved back.
    mutating func draw() {
        let columns = max(Self.terminalColumns() - DisplayWidth.of(prompt) - 1, 8)
        if cursor < firstShown { firstShown = cursor }
        while width(firstShown..<cursor) >= columns { firstShown += 1 }
        var end = firstShown
        while end < characters.count && width(firstShown..<(end + 1)) < columns { end += 1 }
        if firstShown > 0 && width(0..<characters.count) < columns { firstShown = 0; end = characters.count }
        let shown = String(characters[firstShown..<end])
        let back = width(cursor..<end)
        var output = "\r" + prompt + shown + "\u{1B}[K"
        if back > 0 { output += "\u{1B}[\(back)D" }
        Self.write(output)
    }

    /// Ends the line on the screen.
    func finish() { Self.write("\r\n") }

    private func width(_ range: Range<Int>) -> Int {
        characters[range].reduce(0) { $0 + DisplayWidth.of(String($1)) }
    }

    static func write(_ text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }

    static func terminalColumns() -> Int {
        var size = winsize()
        if ioctl(2, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}
