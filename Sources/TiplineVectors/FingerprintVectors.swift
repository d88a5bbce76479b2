import TiplineCrypto

/// Fingerprint cases (proto/PROTOCOL.md §2.5, §2.6). The typed text is in
/// the header, with the reader that reads it (`typed` or `file`) and the
/// public-key material of the fingerprint it is compared with; the body is
/// empty.
enum FingerprintVectors {
    static func make() throws -> [VectorFile] {
        let random = SeededRandom(seed: "fingerprint")
        // Draw until the fingerprint has a 0 and a 1 (for the alias case) and
        // its last data symbol differs from its check symbol (so that swapping
        // them changes the text).
        var key = SigningKeyPair(random: random)
        func usable(_ symbols: [Character]) -> Bool {
            symbols.contains("0") && symbols.contains("1") && symbols[31] != symbols[32]
        }
        while !usable(Array(Fingerprint(organisationKey: key.publicKey).symbols)) { key = SigningKeyPair(random: random) }
        let fingerprint = Fingerprint(organisationKey: key.publicKey)
        let other = Fingerprint(organisationKey: SigningKeyPair(random: random).publicKey)
        let displayed = fingerprint.description
        let symbols = Array(fingerprint.symbols)
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

        func file(_ name: String, _ comment: String, _ typed: String, reader: String = "typed",
                  expect: String = "success") -> VectorFile {
            var headers: [(String, String)] = [("format", "fingerprint"), ("expect", expect), ("comment", comment),
                                               ("reader", reader), ("fingerprint", typed),
                                               ("material", Hex.encode(key.publicKey.bytes))]
            if expect == "success" { headers.append(("displayed", displayed)) }
            return VectorFile(name: name, headers: headers, body: [])
        }
        func next(_ c: Character) -> Character { alphabet[(alphabet.firstIndex(of: c)! + 1) % 32] }

        var typo = symbols
        typo[5] = next(typo[5])
        var checkTypo = symbols
        checkTypo[32] = next(checkTypo[32])
        var swapped = symbols
        let i = (0..<32).first { swapped[$0] != swapped[$0 + 1] }!
        swapped.swapAt(i, i + 1)
        var checkSwap = symbols
        checkSwap.swapAt(31, 32)
        var missing = symbols
        missing.remove(at: 5)
        var extra = symbols
        extra.insert(next(symbols[5]), at: 5)
        var foreign = symbols
        foreign[3] = "U"
        // The 32 data symbols in the 8 groups of 4 that earlier versions printed.
        let legacy = Base32.grouped(String(symbols.prefix(32)))
        let otherLegacy = Base32.grouped(String(Array(other.symbols).prefix(32)))
        precondition(String(missing) != String(symbols.prefix(32)))

        let lowerSpaced = displayed.lowercased().replacing("-", with: " ")
        let aliased = String(symbols).replacing("0", with: "O").replacing("1", with: "l")
        return [
            file("fingerprint_valid", "as displayed: 11 groups of 3, the last symbol the check symbol", displayed),
            file("fingerprint_valid_lowercase_spaces", "lower case, spaces instead of dashes", lowerSpaced),
            file("fingerprint_valid_aliases", "O typed for 0 and l typed for 1, no separators", aliased),
            file("fingerprint_typo", "one data symbol changed", String(typo), expect: "checkFailed"),
            file("fingerprint_typo_check_symbol", "the check symbol changed", String(checkTypo), expect: "checkFailed"),
            file("fingerprint_swapped_neighbours", "two neighbouring symbols swapped", String(swapped), expect: "checkFailed"),
            file("fingerprint_swapped_check_symbol", "the check symbol swapped with the one before it", String(checkSwap),
                 expect: "checkFailed"),
            file("fingerprint_missing_symbol", "one symbol left out", String(missing), expect: "wrongLength"),
            file("fingerprint_extra_symbol", "one symbol too many", String(extra), expect: "wrongLength"),
            file("fingerprint_invalid_character", "a U, which is not in the alphabet", String(foreign),
                 expect: "invalidCharacter"),
            file("fingerprint_other_organisation", "well formed, but another organisation's", other.description,
                 expect: "wrongOrganisation"),
            file("fingerprint_legacy_form", "the legacy form (32 symbols, no check symbol) read from a file", legacy,
                 reader: "file"),
            file("fingerprint_legacy_form_typed", "the legacy form where people type: refused", legacy,
                 expect: "wrongLength"),
            file("fingerprint_legacy_form_check_symbol_missing",
                 "the current form with its check symbol left out, read from a file: the legacy form of the same fingerprint",
                 Base32.grouped(String(symbols.prefix(32)), size: 3), reader: "file"),
            file("fingerprint_legacy_form_missing_symbol",
                 "the current form with a data symbol left out, read from a file: a typo, not another organisation",
                 String(missing), reader: "file", expect: "symbolMissing"),
            file("fingerprint_legacy_form_other_organisation", "another organisation's legacy form, read from a file",
                 otherLegacy, reader: "file", expect: "wrongOrganisation"),
            file("fingerprint_legacy_reader_checks_current_form", "a file reader still checks the current form's check symbol",
                 String(typo), reader: "file", expect: "checkFailed"),
        ]
    }
}
