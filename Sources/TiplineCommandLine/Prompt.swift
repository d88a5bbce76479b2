import Foundation

/// Questions on the terminal. Answers come from stdin; prompts go to stderr
/// so they never mix with data on stdout.
public enum Prompt {
    /// One line of input, or `nil` at end of input.
    public static func line(_ question: String) -> String? {
        FileHandle.standardError.write(Data(question.utf8))
        // Arrow keys and other escape sequences are dropped, never stored in a tip.
        return readLine(strippingNewline: true).map(TerminalText.typed)
    }

    /// Lines until a line with a single "." or end of input.
    public static func paragraph(_ question: String) -> String {
        Console.error(question + " (end with a line holding only a dot)")
        var lines: [String] = []
        while let line = readLine(strippingNewline: true).map(TerminalText.typed), line != "." { lines.append(line) }
        return lines.joined(separator: "\n")
    }

    /// Yes only for an explicit "y" or "yes".
    public static func confirm(_ question: String) -> Bool {
        guard let answer = line(question + " [y/N] ") else { return false }
        return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }
}
