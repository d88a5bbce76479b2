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

    /// The translated help for `tip submit|check|resend --help` (ArgumentParser's
    /// own help stays, in English, for English and for the other commands).
    static func help(for arguments: [String]) -> String? {
        guard Localization.language != .english,
              arguments.contains(where: { $0 == "--help" || $0 == "-h" }),
              let command = arguments.first(where: { ["submit", "check", "resend"].contains($0) }) else { return nil }
        return L("help.\(command).abstract") + "\n\n" + "tip \(command) [--server HOST:PORT] [--org FINGERPRINT] …\n\n"
            + L("help.\(command)")
    }
}
