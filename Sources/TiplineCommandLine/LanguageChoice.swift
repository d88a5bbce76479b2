import Foundation

/// Which language `tip` speaks in this run: `--lang`, else the first of
/// `LC_ALL`, `LC_MESSAGES` and `LANG` that is set. A locale of C or POSIX,
/// or none, says nothing about the person, so the guided flow then opens
/// with a menu of the languages, each named in its own script. A locale
/// tip does not speak gets English.
public enum LanguageChoice {
    /// What the command line and the environment say; `nil` when they say
    /// nothing (C, POSIX or unset) and the person should be asked.
    public static func resolve(arguments: [String], environment: [String: String]) throws -> Language? {
        if let value = langArgument(arguments) {
            guard let language = Language(locale: value), language != .pseudo || environment["TIPLINE_PSEUDO_LANGUAGE"] == "1" else {
                throw ToolFailure(.usage, "--lang: unknown language '\(value)'; use one of "
                                  + Language.offered.map(\.rawValue).joined(separator: ", "))
            }
            return language
        }
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[name], !value.isEmpty else { continue }
            let bare = value.split(separator: ".").first.map(String.init) ?? value
            if bare == "C" || bare == "POSIX" { return nil }
            return Language(locale: value).flatMap { $0 == .pseudo ? nil : $0 } ?? .english
        }
        return nil
    }

    /// The value of `--lang X` or `--lang=X`, read before the command line
    /// is parsed, because the help text itself is in that language.
    static func langArgument(_ arguments: [String]) -> String? {
        for (index, argument) in arguments.enumerated() {
            if argument == "--" { break }
            if argument == "--lang", index + 1 < arguments.count { return arguments[index + 1] }
            if argument.hasPrefix("--lang=") { return String(argument.dropFirst("--lang=".count)) }
        }
        return nil
    }

    /// The menu, before any language is known: every language in its own
    /// script, chosen by number. End of input keeps English.
    public static func ask() -> Language {
        let languages = Language.offered
        Console.error("")
        for (index, language) in languages.enumerated() {
            Console.error(String(format: "%3d  ", index + 1) + language.nativeName)
        }
        while true {
            guard let answer = Prompt.line("  1–\(languages.count): ") else { return .english }
            let digits = answer.trimmingCharacters(in: .whitespaces)
            if let number = Int(digits), (1...languages.count).contains(number) { return languages[number - 1] }
            if let language = Language(locale: digits), language != .pseudo { return language }
        }
    }
}
