import Testing
@testable import TiplineCommandLine

/// Columns, not characters: what keeps the summary and the progress bar
/// straight in Chinese, Thai, Burmese and Khmer (issue 14).
@Suite struct DisplayWidthTests {
    @Test func scriptsTakeTheColumnsTerminalsGiveThem() {
        #expect(DisplayWidth.of("Where") == 5)
        #expect(DisplayWidth.of("地点") == 4)                 // wide
        #expect(DisplayWidth.of("ที่ไหน") == 4)                // ที ่ ไ ห น: the tone mark and vowel above take none
        #expect(DisplayWidth.of("ภาษาไทย") == 7)
        #expect(DisplayWidth.of("မြန်မာ") == 5)                // the asat takes none; medial ra and aa are spacing marks
        #expect(DisplayWidth.of("ខ្មែរ") == 4)                 // the coeng takes none; the vowel sign is a spacing mark
        #expect(DisplayWidth.of("ພາສາລາວ") == 7)
        #expect(DisplayWidth.of("Tiếng Việt") == 10)          // precomposed
        #expect(DisplayWidth.of("e\u{301}") == 1)             // combining acute
        #expect(DisplayWidth.of("😀") == 2)
        #expect(DisplayWidth.of("a\u{200B}b") == 2)           // zero-width space
    }

    @Test func fitCutsAtACharacterAndPadsToTheColumn() {
        #expect(DisplayWidth.fit("地点", to: 6) == "地点  ")
        #expect(DisplayWidth.fit("证据照片文件", to: 7) == "证据照…")
        #expect(DisplayWidth.fit("证据照片文件", to: 8) == "证据照… ")
        #expect(DisplayWidth.of(DisplayWidth.fit("ที่ไหนบ้างครับ", to: 5)) == 5)
        #expect(DisplayWidth.fit("abc", to: 3) == "abc")
        // Every fitted label in every language takes exactly its columns.
        for language in Language.offered {
            let label = Localization.text("summary.contact", in: language)
            #expect(DisplayWidth.of(DisplayWidth.fit(label, to: 12)) == 12, "\(language.rawValue)")
        }
    }
}
