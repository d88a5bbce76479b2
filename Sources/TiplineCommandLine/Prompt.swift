import Foundation

/// Questions on the terminal, in the chosen language. Answers are read with
/// ``LineEditor``; prompts go to stderr so they never mix with data on stdout.
public enum Prompt {
    /// One line of input, or `nil` at end of input.
    public static func line(_ question: String, initial: String = "") -> String? {
        switch LineEditor.read(prompt: question, initial: initial) {
        case .line(let text), .lastLine(let text): text
        case .end: nil
        }
    }

    /// Lines until two empty lines in a row, or Ctrl-D (end of input). The
    /// hint says so in the user's language; empty lines inside the text
    /// are kept, and the trailing ones dropped.
    public static func paragraph(_ question: String, hint: String) -> String {
        Console.error(question)
        Console.error(Console.dim(hint))
        var lines: [String] = []
        var emptyInARow = 0
        reading: while true {
            switch LineEditor.read(prompt: "> ") {
            case .line(let text):
                if text.trimmingCharacters(in: .whitespaces).isEmpty {
                    emptyInARow += 1
                    // One empty line is a paragraph break; two end the text,
                    // unless nothing has been written yet.
                    if emptyInARow >= 2 && !lines.isEmpty { break reading }
                    if lines.isEmpty { emptyInARow = 0; continue }
                } else {
                    emptyInARow = 0
                }
                lines.append(text)
            case .lastLine(let text):
                lines.append(text)
                break reading
            case .end:
                break reading
            }
        }
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    /// Asks until the answer is yes or no in the user's language (or in
    /// English); anything else asks again, never counts as no. End of
    /// input is no.
    public static func confirm(_ question: String) -> Bool {
        let yes = Localization.answers(yes: true), no = Localization.answers(yes: false)
        let hint = L("answer.hint", ["yes": yes.first ?? "y", "no": no.first ?? "n"])
        while true {
            guard let answer = line(question + " " + hint + " ") else { return false }
            let word = answer.trimmingCharacters(in: .whitespaces).lowercased()
            if yes.contains(word) { return true }
            if no.contains(word) { return false }
            Console.error(L("answer.unclear", ["yes": yes.first ?? "y", "no": no.first ?? "n"]))
        }
    }
}
