import TiplineCrypto

/// Codename cases (proto/PROTOCOL.md §6). The typed text is in the header; the body is empty.
enum CodenameVectors {
    static func make() throws -> [VectorFile] {
        let random = SeededRandom(seed: "codename")
        // Draw until the codename contains both a 0 and a 1, so that the alias
        // case (O for 0, l for 1) has something to alias.
        var codename = Codename(random: random)
        while !(codename.revealed().contains("0") && codename.revealed().contains("1")) {
            codename = Codename(random: random)
        }
        let text = codename.revealed()
        let keys = codename.deriveKeys()
        let symbols = Array(text.replacing("-", with: ""))
        // The attachment key of a file holding "attachment" (§6.3, §17).
        let contentHash = DomainHash.hash("tipline/v1/attachment-content", Array("attachment".utf8))

        func file(_ name: String, _ comment: String, _ typed: String, expect: String = "success") -> VectorFile {
            var headers: [(String, String)] = [("format", "codename"), ("expect", expect), ("comment", comment),
                                               ("codename", typed)]
            if expect == "success" {
                headers += [("reply-pk", Hex.encode(keys.replyKey.publicKey.bytes)),
                            ("mailbox-pk", Hex.encode(keys.mailboxKey.publicKey.bytes)),
                            ("mailbox-id", Hex.encode(keys.mailboxId)),
                            ("upload-token", Hex.encode(keys.uploadToken.withUnsafeBytes { Array($0) })),
                            ("content-hash", Hex.encode(contentHash)),
                            ("attachment-key", Hex.encode(keys.attachmentKey(contentHash: contentHash).withUnsafeBytes { Array($0) }))]
            }
            return VectorFile(name: name, headers: headers, body: [])
        }
        // A wrong symbol: the next one in the alphabet.
        var typo = symbols
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        typo[5] = alphabet[(alphabet.firstIndex(of: typo[5])! + 1) % 32]
        // A swap of the first neighbouring pair that differs.
        var swapped = symbols
        let i = (0..<27).first { swapped[$0] != swapped[$0 + 1] }!
        swapped.swapAt(i, i + 1)
        var checkSwap = symbols
        if checkSwap[26] != checkSwap[27] { checkSwap.swapAt(26, 27) }
        var foreign = symbols
        foreign[3] = "U"

        let lowerSpaced = text.lowercased().replacing("-", with: " ")
        let aliased = String(symbols).replacing("0", with: "O").replacing("1", with: "l")
        return [
            file("codename_valid", "as displayed", text),
            file("codename_valid_lowercase_spaces", "lower case, spaces instead of dashes", lowerSpaced),
            file("codename_valid_aliases", "O typed for 0 and l typed for 1, no separators", aliased),
            file("codename_typo", "one symbol changed", String(typo), expect: "checkFailed"),
            file("codename_swapped_neighbours", "two neighbouring symbols swapped", String(swapped), expect: "checkFailed"),
            file("codename_swapped_check_symbol", "the check symbol swapped with the one before it", String(checkSwap),
                 expect: "checkFailed"),
            file("codename_too_short", "one symbol missing", String(symbols.dropLast()), expect: "wrongLength"),
            file("codename_too_long", "one symbol too many", String(symbols) + "0", expect: "wrongLength"),
            file("codename_invalid_character", "a U, which is not in the alphabet", String(foreign),
                 expect: "invalidCharacter"),
        ]
    }
}
