import Glibc
import TiplineCommandLine

/// tip's language in this run, beyond what ``LanguageChoice`` reads from the
/// command line and the environment: the menu when they said nothing, and
/// the help of `submit`, `check` and `resend` in a language other than English.
enum TipLanguage {
    /// Set at start when neither `--lang` nor the locale named a language.
    nonisolated(unsafe) static var undecided = false

    /// Asks once, at the start of a guided session, when nothing said which
    /// language; a run without a terminal keeps English.
    static func askIfUndecided() {
        guard undecided, isatty(0) == 1 else { return }
        undecided = false
        Localization.choose(LanguageChoice.ask())
    }

    static let commands = ["submit", "check", "resend", "verify-release"]

    /// The translated help of `tip`, `tip --help`, `tip help [COMMAND]` and
    /// `tip COMMAND --help`. English keeps ArgumentParser's own help.
    static func help(for arguments: [String]) -> String? {
        guard Localization.language != .english else { return nil }
        let words = withoutLanguage(arguments)
        let command = words.first(where: commands.contains)
        let asked = words.isEmpty || words.first == "help" || words.contains(where: { $0 == "--help" || $0 == "-h" })
        guard asked else { return nil }
        switch command {
        case nil:
            return L("help.tip.abstract") + "\n\n" + "tip COMMAND [--server HOST:PORT] [--org FINGERPRINT] …\n\n" + L("help.tip")
        case "verify-release":
            return L("help.verifyRelease.abstract") + "\n\n" + "tip verify-release FILE SIGNATURE --org FINGERPRINT\n\n"
                + L("help.verifyRelease")
        case let command?:
            return L("help.\(command).abstract") + "\n\n" + "tip \(command) [--server HOST:PORT] [--org FINGERPRINT] …\n\n"
                + L("help.\(command)")
        }
    }

    /// A usage error in the tipster's language (English keeps
    /// ArgumentParser's text and usage line). A message of our own
    /// (``L(_:_:)`` in a `validate()`) is shown as it is; one of the parser's
    /// is reduced to what it quotes, the option or value at fault, so that no
    /// English sentence reaches someone who chose another language.
    static func usage(_ message: String) -> String? {
        guard Localization.language != .english else { return nil }
        let quoted = message.matches(of: /'([^']*)'/).map { String($0.1) }
        let detail = quoted.isEmpty ? message : quoted.joined(separator: ", ")
        let arguments = ProcessArguments.arguments
        let command = withoutLanguage(arguments).first(where: commands.contains).map { "tip \($0)" } ?? "tip"
        return "tip: " + TerminalText.clean(L("error.usage", ["detail": detail]), newlines: false) + "\n"
            + L("error.usageHelp", ["command": command])
    }

    /// The arguments with `--lang CODE` (or `--lang=CODE`) left out.
    private static func withoutLanguage(_ arguments: [String]) -> [String] {
        var words: [String] = []
        var skipNext = false
        for word in arguments {
            if skipNext { skipNext = false; continue }
            if word == "--lang" { skipNext = true; continue }
            if word.hasPrefix("--lang=") { continue }
            words.append(word)
        }
        return words
    }
}
