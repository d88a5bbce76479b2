import Foundation

import Synchronization

/// The language `tip` speaks in this run, and its messages. The language is
/// chosen once, at start (``LanguageChoice``), before any text is shown;
/// every message `tip` shows comes from here by id (`L("submit.intro")`).
public enum Localization {
    private static let chosen = Mutex(Language.english)

    /// Every catalogue, parsed once. A catalogue that does not parse is a
    /// build defect (the catalogue tests fail); the run then speaks English.
    static let catalogues: [Language: Catalogue] = {
        var all: [Language: Catalogue] = [:]
        for language in Language.allCases where language != .pseudo {
            if let catalogue = try? Catalogue(language: language, source: String(decoding: source(of: language), as: UTF8.self)) {
                all[language] = catalogue
            }
        }
        return all
    }()

    public static var language: Language { chosen.withLock { $0 } }

    public static func choose(_ language: Language) { chosen.withLock { $0 = language } }

    public static func catalogue(_ language: Language) -> Catalogue? { catalogues[language] }

    /// The message `id` in the chosen language, placeholders filled in. A
    /// message a catalogue lacks comes in English (the catalogue tests keep
    /// that from happening); an id English lacks comes back as itself.
    public static func text(_ id: String, _ values: [String: String] = [:], in language: Language? = nil) -> String {
        let language = language ?? self.language
        if language == .pseudo { return pseudo(text(id, values, in: .english)) }
        return catalogues[language]?.text(id, values) ?? catalogues[.english]?.text(id, values) ?? id
    }

    /// The words that answer yes, and no, in the chosen language: its own,
    /// then English's (`y`, `yes`, `n`, `no` work everywhere).
    public static func answers(yes: Bool) -> [String] {
        let id = yes ? "answer.yes" : "answer.no"
        var words: [String] = []
        for language in [language == .pseudo ? .english : language, .english] {
            for word in text(id, in: language).split(separator: ",") {
                let word = word.trimmingCharacters(in: .whitespaces).lowercased()
                if !word.isEmpty && !words.contains(word) { words.append(word) }
            }
        }
        return words
    }

    /// English made strange but readable: letters accented, each line in
    /// ⟦ ⟧. A pseudo-language run shows at once any text that bypassed the
    /// catalogue, since only catalogue text is marked.
    static func pseudo(_ english: String) -> String {
        let accents: [Character: Character] = ["a": "á", "e": "é", "i": "í", "o": "ö", "u": "û", "A": "Á", "E": "É", "O": "Ö", "c": "ç", "n": "ñ"]
        return english.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return String(line) }
            var out = ""
            var inPlaceholderValue = false
            for character in line {
                // Commands, codenames and fingerprints stay as they are: they are typed back.
                if character == "`" { inPlaceholderValue.toggle() }
                out.append(inPlaceholderValue ? character : (accents[character] ?? character))
            }
            let indent = line.prefix(while: { $0 == " " })
            return indent + "⟦" + out.dropFirst(indent.count) + "⟧"
        }.joined(separator: "\n")
    }
}

/// The message `id` in the chosen language (``Localization/text(_:_:in:)``).
public func L(_ id: String, _ values: [String: String] = [:]) -> String {
    Localization.text(id, values)
}
