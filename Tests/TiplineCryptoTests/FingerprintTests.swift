import Testing
import TiplineCrypto

/// The fingerprint's displayed form and its check symbol (PROTOCOL.md §2.5, §2.6).
@Suite struct FingerprintTests {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    static func random() -> Fingerprint { Fingerprint(organisationKey: SigningKeyPair().publicKey) }

    /// The valid 33-symbol text whose 32 data symbols are `data`.
    static func completed(_ data: [Character]) throws -> [Character] {
        Array(try Fingerprint(parsing: String(data), acceptingLegacyForm: true).symbols)
    }

    static func accepted(_ symbols: [Character]) -> Bool { (try? Fingerprint(parsing: String(symbols))) != nil }

    @Test func displayedFormIsElevenGroupsOfThree() {
        let text = Self.random().description
        let groups = text.split(separator: "-")
        #expect(groups.count == 11)
        #expect(groups.allSatisfy { $0.count == 3 })
        #expect(text.allSatisfy { $0 == "-" || Self.alphabet.contains($0) })
        #expect(text.count == 33 + 10)
    }

    @Test func parsesWhatItShowsInAnyCase() throws {
        let fingerprint = Self.random()
        let text = fingerprint.description
        #expect(try Fingerprint(parsing: text) == fingerprint)
        #expect(try Fingerprint(parsing: text.lowercased()) == fingerprint)
        #expect(try Fingerprint(parsing: text.replacing("-", with: " ")) == fingerprint)
        #expect(try Fingerprint(parsing: text.replacing("-", with: "")) == fingerprint)
        #expect(try Fingerprint(parsing: text.replacing("0", with: "o").replacing("1", with: "L")) == fingerprint)
        #expect(try Fingerprint(parsing: text, acceptingLegacyForm: true) == fingerprint)
    }

    /// Every single-character substitution (the check symbol's included) and
    /// every swap of two different neighbours (the last data symbol with the
    /// check symbol included), over a sample of 200 fingerprints, is caught.
    @Test func everyTypoAndNeighbourSwapIsDetected() {
        var substitutions = 0, swaps = 0, checkSymbolSwaps = 0, missed = 0
        for _ in 0..<200 {
            let symbols = Array(Self.random().symbols)
            for i in 0..<symbols.count {
                for replacement in Self.alphabet where replacement != symbols[i] {
                    var typo = symbols
                    typo[i] = replacement
                    substitutions += 1
                    if Self.accepted(typo) { missed += 1 }
                }
                if i + 1 < symbols.count && symbols[i] != symbols[i + 1] {
                    var swapped = symbols
                    swapped.swapAt(i, i + 1)
                    swaps += 1
                    if i + 1 == 32 { checkSymbolSwaps += 1 }
                    if Self.accepted(swapped) { missed += 1 }
                }
            }
        }
        #expect(substitutions == 200 * 33 * 31)
        #expect(swaps > 200 * 30)
        #expect(checkSymbolSwaps > 150)
        #expect(missed == 0)
    }

    /// The proof for every fingerprint, not just a sample. The check sum is
    /// linear, so a substitution of `a` by `b` at position i changes it by
    /// α^(i+1)·(a⊕b), and a swap of neighbours `a`, `b` at i, i+1 by
    /// (α^(i+1)⊕α^(i+2))·(a⊕b), whatever the other symbols are. So a
    /// substitution is caught everywhere if it is caught in one text with
    /// `a` at i, and a swap if it is caught in one text with `a`, `b` at i,
    /// i+1. This tries every position with every old and new value, and every
    /// neighbouring pair with every difference a⊕b.
    @Test func everySubstitutionAndSwapIsDetectedWhateverTheOtherSymbols() throws {
        var substitutionCases = Set<[Int]>(), swapCases = Set<[Int]>(), missed = 0
        func alphabetIndex(_ c: Character) -> Int { Self.alphabet.firstIndex(of: c)! }
        for position in 0..<32 {
            for value in Self.alphabet {
                var data = [Character](repeating: "0", count: 32)
                data[position] = value
                let symbols = try Self.completed(data)
                #expect(Self.accepted(symbols))
                // Substitutions at this position, and at the check symbol
                // (whose value runs through the alphabet as `value` does).
                for i in Set([position, 32]) {
                    for replacement in Self.alphabet where replacement != symbols[i] {
                        var typo = symbols
                        typo[i] = replacement
                        substitutionCases.insert([i, alphabetIndex(symbols[i]), alphabetIndex(replacement)])
                        if Self.accepted(typo) { missed += 1 }
                    }
                }
                // Swaps of this position with its neighbours.
                for i in Set([max(position - 1, 0), position]) where symbols[i] != symbols[i + 1] {
                    var swapped = symbols
                    swapped.swapAt(i, i + 1)
                    swapCases.insert([i, alphabetIndex(symbols[i]) ^ alphabetIndex(symbols[i + 1])])
                    if Self.accepted(swapped) { missed += 1 }
                }
            }
        }
        #expect(missed == 0)
        #expect(substitutionCases.count == 33 * 32 * 31, "every position, old value and new value")
        #expect(swapCases.count == 32 * 31, "every neighbouring pair, every non-zero difference")
    }

    /// The legacy form (32 symbols, no check symbol) is read only where a
    /// file from an earlier version is read; people and scripts must give the
    /// current form, where a missing character is always a typo.
    @Test func legacyFormIsReadOnlyFromFiles() throws {
        let fingerprint = Self.random()
        let data = String(fingerprint.symbols.prefix(32))
        let printedBefore = Base32.grouped(Base32.encode(fingerprint.bytes))
        #expect(printedBefore.split(separator: "-").count == 8)
        #expect(data == printedBefore.replacing("-", with: ""))
        #expect(Fingerprint.isLegacyForm(printedBefore) && !Fingerprint.isLegacyForm(fingerprint.description))
        #expect(try Fingerprint(parsing: printedBefore, acceptingLegacyForm: true) == fingerprint)
        #expect(try Fingerprint(parsing: printedBefore.lowercased(), acceptingLegacyForm: true) == fingerprint)
        #expect(throws: FingerprintError.wrongLength(32)) { try Fingerprint(parsing: printedBefore) }
        // The file reader still checks the current form, and refuses other lengths.
        var typo = Array(fingerprint.symbols)
        typo[7] = typo[7] == "A" ? "B" : "A"
        #expect(throws: FingerprintError.checkFailed) { try Fingerprint(parsing: String(typo), acceptingLegacyForm: true) }
        #expect(throws: FingerprintError.wrongLength(31)) { try Fingerprint(parsing: String(data.dropLast()), acceptingLegacyForm: true) }
        #expect(throws: FingerprintError.wrongLength(34)) {
            try Fingerprint(parsing: fingerprint.symbols + "0", acceptingLegacyForm: true)
        }
    }

    /// A character left out or added is a typo wherever that can be decided:
    /// always where people type (the length is wrong), and in a file when
    /// the fingerprint it is compared with is known (`isOneSymbolShort`).
    @Test func deletionsAndInsertionsAreTyposNotAnotherOrganisation() throws {
        for _ in 0..<20 {
            let fingerprint = Self.random()
            let symbols = Array(fingerprint.symbols)
            for i in symbols.indices {
                var short = symbols
                short.remove(at: i)
                #expect(throws: FingerprintError.wrongLength(32)) { try Fingerprint(parsing: String(short)) }
                // Read from a file, it is the same fingerprint or one symbol short of it.
                let read = try Fingerprint(parsing: String(short), acceptingLegacyForm: true)
                #expect(read.matches(fingerprint) || read.isOneSymbolShort(of: fingerprint), "deleted \(i)")
                #expect(read.matches(fingerprint) == (i == 32 || symbols[i...].allSatisfy { $0 == symbols[32] }))
                for extra in Self.alphabet {
                    var long = symbols
                    long.insert(extra, at: i)
                    #expect(throws: FingerprintError.wrongLength(34)) { try Fingerprint(parsing: String(long)) }
                }
            }
            // Another organisation's fingerprint is never one symbol short of this one.
            let other = Self.random()
            let otherLegacy = try Fingerprint(parsing: String(other.symbols.prefix(32)), acceptingLegacyForm: true)
            #expect(!otherLegacy.isOneSymbolShort(of: fingerprint))
        }
    }

    @Test func rejections() {
        #expect(throws: FingerprintError.wrongLength(0)) { try Fingerprint(parsing: "") }
        #expect(throws: FingerprintError.invalidCharacter(position: 2)) { try Fingerprint(parsing: "00U") }
        #expect(throws: FingerprintError.wrongLength(9)) { try Fingerprint(parsing: "1B6-X4F-2RQ") }
        #expect(throws: FingerprintError.invalidCharacter(position: 4)) { try Fingerprint(parsing: "1B6-U4F-2RQ") }
    }

    /// A typo and a mismatch say different things: every typo starts "this
    /// fingerprint has a typo" and asks for another comparison; the mismatch
    /// never mentions a typo.
    @Test func typoMessagesAreNotTheMismatchMessage() {
        let typos: [FingerprintError] = [.invalidCharacter(position: 3), .wrongLength(31), .wrongLength(32), .wrongLength(34),
                                         .checkFailed, .symbolMissing]
        for typo in typos {
            #expect(typo.description.hasPrefix("this fingerprint has a typo"), "\(typo)")
            #expect(typo.description.contains("Compare it again"), "\(typo)")
        }
        #expect(FingerprintError.wrongLength(32).description.contains("old form"))
        #expect(!KeyBundleError.wrongOrganisation.description.contains("typo"))
    }
}
