import Foundation
import Glibc

/// Reads one line from the terminal with editing: left and right arrows,
/// Home and End, Backspace and Delete, Ctrl-U, Ctrl-K and Ctrl-W. It decodes
/// UTF-8, moves by whole characters (a Thai letter with its marks, an emoji),
/// and places the cursor by display width, so a line in any of tip's
/// languages edits as it looks. Escape sequences of keys it does not use
/// (up and down: tip keeps no history) are read whole and dropped, never
/// stored in a tip (issue 14).
///
/// It puts the terminal in raw mode only while it reads, and restores it
/// on every way out, including Ctrl-C (which ends tip at once: a person in
/// danger must be able to stop) and SIGTERM or SIGHUP. When standard input
/// is not a terminal it reads plain lines.
public enum LineEditor {
    /// How a read ended.
    public enum Outcome: Equatable, Sendable {
        /// Enter.
        case line(String)
        /// Ctrl-D after some text: the text, and the end of input.
        case lastLine(String)
        /// Ctrl-D on an empty line, or standard input closed.
        case end
    }

    /// Reads a line after `prompt` (written to standard error).
    public static func read(prompt: String = "", initial: String = "") -> Outcome {
        guard isatty(0) == 1 else {
            FileHandle.standardError.write(Data(prompt.utf8))
            guard let line = readLine(strippingNewline: true) else { return .end }
            return .line(TerminalText.typed(line))
        }
        var saved = termios()
        guard tcgetattr(0, &saved) == 0 else {
            FileHandle.standardError.write(Data(prompt.utf8))
            return readLine(strippingNewline: true).map { .line(TerminalText.typed($0)) } ?? .end
        }
        RawMode.enter(saved)
        defer { RawMode.leave() }
        var editor = EditedLine(prompt: TerminalText.clean(prompt, newlines: false))
        // A value to correct (a server address that failed) comes back editable.
        editor.characters = Array(TerminalText.typed(initial))
        editor.cursor = editor.characters.count
        editor.draw()
        while true {
            guard let key = KeyReader.next() else {
                editor.finish()
                return editor.text.isEmpty ? .end : .lastLine(editor.text)
            }
            switch key {
            case .enter:
                editor.finish()
                return .line(editor.text)
            case .endOfInput:
                if editor.text.isEmpty {
                    editor.finish()
                    return .end
                }
                if editor.cursor == editor.characters.count {
                    editor.finish()
                    return .lastLine(editor.text)
                }
                editor.deleteForward()
            case .interrupt:
                // Ctrl-C, read as a key in raw mode: stop at once, as the
                // signal would, with the cleanup a signal gets (a private Tor).
                editor.finish()
                RawMode.leave()
                ExitCleanup.run()
                exit(130)
            case .character(let character): editor.insert(character)
            case .backspace: editor.deleteBackward()
            case .delete: editor.deleteForward()
            case .left: editor.move(by: -1)
            case .right: editor.move(by: 1)
            case .home: editor.cursor = 0
            case .end: editor.cursor = editor.characters.count
            case .clearBefore: editor.clearBefore()
            case .clearAfter: editor.characters.removeSubrange(editor.cursor...)
            case .deleteWord: editor.deleteWord()
            case .ignored: continue
            }
            editor.draw()
        }
    }
}
