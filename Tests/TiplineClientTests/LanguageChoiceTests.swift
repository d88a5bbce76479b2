import Testing
@testable import TiplineCommandLine

/// Which language tip speaks: --lang, then LC_ALL, LC_MESSAGES, LANG; C and
/// POSIX ask (issue 14).
@Suite struct LanguageChoiceTests {
    @Test func localesAndCodesNameTheLanguages() throws {
        let cases: [(String, Language)] = [
            ("th_TH.UTF-8", .thai), ("zh_CN.UTF-8", .chineseSimplified), ("zh_TW.UTF-8", .chineseTraditional),
            ("zh_HK", .chineseTraditional), ("zh-Hant", .chineseTraditional), ("zh-Hans", .chineseSimplified),
            ("vi_VN", .vietnamese), ("id_ID.UTF-8", .indonesian), ("ms_MY", .malay), ("fil_PH", .tagalog), ("tl", .tagalog),
            ("my_MM", .burmese), ("km_KH.UTF-8", .khmer), ("lo_LA", .lao), ("en_GB.UTF-8", .english),
        ]
        for (text, language) in cases { #expect(Language(locale: text) == language, "\(text)") }
        #expect(Language(locale: "C") == nil)
        #expect(Language(locale: "de_DE") == nil)
    }

    @Test func theCommandLineThenTheEnvironmentDecide() throws {
        #expect(try LanguageChoice.resolve(arguments: ["submit", "--lang", "km"], environment: ["LANG": "th_TH"]) == .khmer)
        #expect(try LanguageChoice.resolve(arguments: ["submit", "--lang=vi"], environment: [:]) == .vietnamese)
        #expect(try LanguageChoice.resolve(arguments: [], environment: ["LC_ALL": "lo_LA", "LANG": "th_TH"]) == .lao)
        #expect(try LanguageChoice.resolve(arguments: [], environment: ["LC_MESSAGES": "my_MM", "LANG": "th_TH"]) == .burmese)
        #expect(try LanguageChoice.resolve(arguments: [], environment: ["LANG": "th_TH.UTF-8"]) == .thai)
        #expect(try LanguageChoice.resolve(arguments: [], environment: ["LANG": "de_DE.UTF-8"]) == .english)
        // C, POSIX and nothing say nothing about the person: ask.
        #expect(try LanguageChoice.resolve(arguments: [], environment: ["LANG": "C.UTF-8"]) == nil)
        #expect(try LanguageChoice.resolve(arguments: [], environment: ["LC_ALL": "POSIX"]) == nil)
        #expect(try LanguageChoice.resolve(arguments: [], environment: [:]) == nil)
        #expect(throws: ToolFailure.self) { try LanguageChoice.resolve(arguments: ["--lang", "xx"], environment: [:]) }
        // The pseudo-language is for tests only.
        #expect(throws: ToolFailure.self) { try LanguageChoice.resolve(arguments: ["--lang", "qps"], environment: [:]) }
    }
}
