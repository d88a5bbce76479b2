import Foundation
import Testing
@testable import TiplineCommandLine

/// tip's eleven catalogues (issue 14): each parses, has every message of
/// English with the same placeholders, and leaves none of it in English.
@Suite struct CatalogueTests {
    let english = Localization.catalogue(.english)!

    @Test(arguments: Language.offered)
    func everyLanguageHasEveryMessageWithTheSamePlaceholders(_ language: Language) throws {
        let catalogue = try #require(Localization.catalogue(language), "catalogue \(language.rawValue) missing or unreadable")
        #expect(Set(catalogue.messages.keys) == Set(english.messages.keys),
                "\(language.rawValue): missing \(Set(english.messages.keys).subtracting(catalogue.messages.keys).sorted()), extra \(Set(catalogue.messages.keys).subtracting(english.messages.keys).sorted())")
        for (id, text) in english.messages {
            guard let translated = catalogue.messages[id] else { continue }
            #expect(Catalogue.placeholders(in: translated) == Catalogue.placeholders(in: text), "\(language.rawValue) \(id)")
            #expect(!translated.trimmingCharacters(in: .whitespaces).isEmpty, "\(language.rawValue) \(id) is empty")
        }
    }

    /// A message left in English in another language is a leak. Only the
    /// ones made of untranslatable parts (placeholders, brackets) may match.
    @Test(arguments: Language.offered.filter { $0 != .english })
    func noMessageIsLeftInEnglish(_ language: Language) throws {
        let catalogue = try #require(Localization.catalogue(language))
        let sameByNature: Set<String> = ["answer.hint", "error.detail"]
        let leaked = english.messages.filter { id, text in !sameByNature.contains(id) && catalogue.messages[id] == text }.keys
        #expect(leaked.isEmpty, "\(language.rawValue) left in English: \(leaked.sorted())")
    }

    @Test(arguments: Language.offered)
    func yesAndNoNeverShareAWord(_ language: Language) {
        Localization.choose(language)
        defer { Localization.choose(.english) }
        let yes = Set(Localization.answers(yes: true)), no = Set(Localization.answers(yes: false))
        #expect(yes.isDisjoint(with: no), "\(language.rawValue): \(yes.intersection(no))")
        #expect(yes.contains("y") && yes.contains("yes") && no.contains("n") && no.contains("no"))
        #expect(yes.count >= 2 && no.count >= 2)
    }

    @Test func placeholdersAreFilledByNameInAnyOrder() throws {
        let catalogue = try Catalogue(language: .english, source: "a = {second} before {first}\\nnext line\nb=plain")
        #expect(catalogue.text("a", ["first": "1", "second": "2"]) == "2 before 1\nnext line")
        #expect(catalogue.text("b", [:]) == "plain")
        #expect(catalogue.text("c", [:]) == nil)
        #expect(throws: CatalogueError.malformedLine(language: "en", line: 1)) { try Catalogue(language: .english, source: "no equals") }
        #expect(throws: CatalogueError.duplicateOrEmptyId(language: "en", line: 2)) {
            try Catalogue(language: .english, source: "a = 1\na = 2")
        }
    }

    /// Every id the tools ask for exists in English: a mistyped id would
    /// show itself instead of a sentence.
    @Test func everyIdTheSourcesUseExists() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var used: Set<String> = []
        for folder in ["Sources/tip", "Sources/TiplineCommandLine"] {
            let directory = root.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".swift") {
                let source = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
                for match in source.matches(of: /\bL\("([a-zA-Z.]+)"/) { used.insert(String(match.1)) }
            }
        }
        #expect(used.count > 40)
        #expect(used.subtracting(english.messages.keys).isEmpty, "ids with no English text: \(used.subtracting(english.messages.keys).sorted())")
    }

    @Test func thePseudoLanguageMarksEveryLineAndKeepsCommands() {
        let marked = Localization.pseudo("Send it now?\nRun `tip check` later\n")
        #expect(marked == "⟦Séñd ít ñöw?⟧\n⟦Rûñ `tip check` lá\u{74}ér⟧\n")
    }
}
