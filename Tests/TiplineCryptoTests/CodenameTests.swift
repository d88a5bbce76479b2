import Testing
import TiplineCrypto

@Suite struct CodenameTests {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    @Test func formIsSevenGroupsOfFour() {
        let text = Codename().revealed()
        let groups = text.split(separator: "-")
        #expect(groups.count == 7)
        #expect(groups.allSatisfy { $0.count == 4 })
        #expect(text.allSatisfy { $0 == "-" || Self.alphabet.contains($0) })
    }

    @Test func parsesWhatItShowsInAnyCase() throws {
        let codename = Codename()
        let text = codename.revealed()
        #expect(try Codename(parsing: text).matches(codename))
        #expect(try Codename(parsing: text.lowercased()).matches(codename))
        #expect(try Codename(parsing: text.replacing("-", with: " ")).matches(codename))
        #expect(try Codename(parsing: text.replacing("-", with: "")).matches(codename))
    }

    /// Every single-character substitution and every swap of two different
    /// neighbours, over a sample of 200 codenames, must be caught.
    @Test func everyTypoAndNeighbourSwapIsDetected() {
        var substitutions = 0, swaps = 0, missed = 0
        for _ in 0..<200 {
            let symbols = Array(Codename().revealed().replacing("-", with: ""))
            for i in 0..<symbols.count {
                for replacement in Self.alphabet where replacement != symbols[i] {
                    var typo = symbols
                    typo[i] = replacement
                    substitutions += 1
                    if (try? Codename(parsing: String(typo))) != nil { missed += 1 }
                }
                if i + 1 < symbols.count && symbols[i] != symbols[i + 1] {
                    var swapped = symbols
                    swapped.swapAt(i, i + 1)
                    swaps += 1
                    if (try? Codename(parsing: String(swapped))) != nil { missed += 1 }
                }
            }
        }
        #expect(substitutions == 200 * 28 * 31)
        #expect(swaps > 200 * 25)
        #expect(missed == 0)
    }

    @Test func derivationIsDeterministicAndSeparated() throws {
        let codename = Codename()
        let again = try Codename(parsing: codename.revealed().lowercased())
        let a = codename.deriveKeys(), b = again.deriveKeys()
        #expect(a.replyKey.publicKey == b.replyKey.publicKey)
        #expect(a.mailboxKey.publicKey == b.mailboxKey.publicKey)
        #expect(a.mailboxId == b.mailboxId)
        #expect(a.mailboxId.count == 32)
        // Reply and mailbox keys come from different labels.
        #expect(a.replyKey.publicKey.bytes != a.mailboxKey.publicKey.bytes)
        let other = Codename().deriveKeys()
        #expect(other.mailboxId != a.mailboxId)
    }

    @Test func neverPrintsItself() {
        let codename = Codename()
        #expect(!"\(codename)".contains(codename.revealed()))
        #expect(String(describing: codename) == "Codename(redacted)")
    }

    @Test func rejections() {
        #expect(throws: CodenameError.wrongLength(27)) { try Codename(parsing: String(repeating: "0", count: 27)) }
        #expect(throws: CodenameError.invalidCharacter(position: 2)) { try Codename(parsing: "00U") }
        #expect(throws: CodenameError.wrongLength(0)) { try Codename(parsing: "") }
    }
}
