import CSodium
import TiplineCrypto

/// Envelope cases (proto/PROTOCOL.md §4): each negative case breaks one thing.
///
/// The cases without a version in their name are format 1, written before
/// format 2 existed and kept byte for byte, so that stored envelopes are
/// known to open; `envelope_v2_*` are format 2, from their own seed.
enum EnvelopeVectors {
    static let content = Array("Tipline test vector: forty people are held in building C, third floor.".utf8)
    static let entriesStart = 4 + 1 + 1 + 32 + 1
    static let entry = EnvelopeRecipient.byteCount

    static func file(_ f: VectorFixtures, _ name: String, _ comment: String, _ bytes: [UInt8], expect: String = "success",
                     opener: BoxKeyPair, expected: Bool = false, kind: EnvelopeKind = .tip,
                     content: [UInt8]? = nil) -> VectorFile {
        var headers: [(String, String)] = [
            ("format", "envelope"), ("expect", expect), ("comment", comment),
            ("recipient-sk", opener.secretKeyCopy().withUnsafeBytes { Hex.encode($0) }),
            ("recipient-pk", Hex.encode(opener.publicKey.bytes)),
        ]
        if expected {
            headers.append(("expect-kind", String(kind.rawValue)))
            headers.append(("expect-context", Hex.encode(f.bundle.id)))
            headers.append(("expect-recipients", f.bundle.recipientKeyIds.map(\.description).joined(separator: ",")))
        }
        if let content { headers.append(("content", Hex.encode(content))) }
        return VectorFile(name: name, headers: headers, body: bytes)
    }

    static func flipped(_ bytes: [UInt8], at index: Int) -> [UInt8] {
        var b = bytes
        b[index] ^= 0x01
        return b
    }

    static func replacing(_ bytes: [UInt8], at index: Int, with value: UInt8) -> [UInt8] {
        var b = bytes
        b[index] = value
        return b
    }

    /// `envelope`'s recipient entries, in order.
    static func entries(of envelope: [UInt8]) -> [[UInt8]] {
        (0..<Int(envelope[entriesStart - 1])).map {
            Array(envelope[(entriesStart + $0 * entry)..<(entriesStart + ($0 + 1) * entry)])
        }
    }

    /// `envelope` with its recipient entries replaced and the count updated.
    static func withEntries(_ envelope: [UInt8], _ replacement: [[UInt8]]) -> [UInt8] {
        var b = Array(envelope[0..<(entriesStart - 1)])
        b.append(UInt8(replacement.count))
        for e in replacement { b += e }
        b += envelope[(entriesStart + Int(envelope[entriesStart - 1]) * entry)...]
        return b
    }

    static func make(_ f: VectorFixtures) throws -> [VectorFile] {
        let formatOne = try makeFormat1(f)
        return formatOne.files + (try makeFormat2(f, formatOne: formatOne.valid))
    }

    /// The format-1 cases, exactly as they were before format 2.
    static func makeFormat1(_ f: VectorFixtures) throws -> (files: [VectorFile], valid: [UInt8]) {
        let random = SeededRandom(seed: "envelope")
        let everyone = f.responders.map(\.box.publicKey)
        let opener = f.responders[1].box
        let context = f.bundle.id
        let valid = CraftedEnvelope.sealFormat1(content, kind: .tip, context: context, to: everyone, random: random)
        let header = try EnvelopeHeader(parsing: valid)

        func file(_ name: String, _ comment: String, _ bytes: [UInt8], expect: String = "success",
                  opener: BoxKeyPair = opener, expected: Bool = false, kind: EnvelopeKind = .tip,
                  content: [UInt8]? = nil) -> VectorFile {
            Self.file(f, name, comment, bytes, expect: expect, opener: opener, expected: expected, kind: kind, content: content)
        }
        func withEntries(_ replacement: [[UInt8]]) -> [UInt8] { Self.withEntries(valid, replacement) }
        let entries = Self.entries(of: valid)
        let ciphertextStart = header.byteCount
        let addedKey = BoxKeyPair(random: random)
        let addedEntry = addedKey.publicKey.keyId.bytes
            + SealedBox.seal(random.secret(32), to: addedKey.publicKey, random: random)
        let withAdded = withEntries((entries + [addedEntry]).sorted { $0.lexicographicallyPrecedes($1) })

        var cases: [VectorFile] = []
        cases.append(file("envelope_valid_three_recipients", "a tip sealed to the bundle's three responders, opened by the second",
                          valid, expected: true, content: content))
        cases.append(file("envelope_valid_first_recipient", "the same envelope opened by the first recipient",
                          valid, opener: f.responders[0].box, content: content))
        let single = CraftedEnvelope.sealFormat1(content, kind: .tip, context: context, to: [opener.publicKey], random: random)
        cases.append(file("envelope_valid_one_recipient", "a tip sealed to one recipient", single, content: content))
        let empty = CraftedEnvelope.sealFormat1([UInt8](), kind: .followUp, context: context, to: everyone, random: random)
        cases.append(file("envelope_valid_empty_content", "an empty follow-up: padded to 1024 bytes", empty,
                          expected: true, kind: .followUp, content: []))
        let boundary = [UInt8](repeating: 0x41, count: 1023)
        let exact = CraftedEnvelope.sealFormat1(boundary, kind: .tip, context: context, to: everyone, random: random)
        cases.append(file("envelope_valid_1023_bytes", "the longest content that fits the 1024-byte bucket", exact,
                          content: boundary))
        let longer = [UInt8](repeating: 0x42, count: 1024)
        let twoK = CraftedEnvelope.sealFormat1(longer, kind: .tip, context: context, to: everyone, random: random)
        cases.append(file("envelope_valid_1024_bytes", "1024 bytes of content need the 2048-byte bucket", twoK,
                          content: longer))
        let mailboxId = Codename(random: random).deriveKeys().mailboxId
        let reply = CraftedEnvelope.sealFormat1(content, kind: .reply, context: mailboxId, to: everyone + [f.outsider.publicKey],
                                                random: random)
        cases.append(file("envelope_valid_reply", "a reply sealed to a tipster's reply key and the responders; context is the mailbox id",
                          reply, opener: f.outsider, content: content))

        cases.append(file("envelope_bad_magic", "magic is TLEW", replacing(valid, at: 3, with: 0x57), expect: "badMagic"))
        // Format 2 exists now, so the unknown format is 3.
        cases.append(file("envelope_unsupported_format", "format byte is 3", replacing(valid, at: 4, with: 3),
                          expect: "unsupportedFormat"))
        cases.append(file("envelope_unknown_kind", "kind byte is 9", replacing(valid, at: 5, with: 9), expect: "unknownKind"))
        cases.append(file("envelope_no_recipients", "count is 0", withEntries([]), expect: "noRecipients"))
        cases.append(file("envelope_too_many_recipients", "count byte is 129",
                          replacing(valid, at: entriesStart - 1, with: 129), expect: "tooManyRecipients"))
        cases.append(file("envelope_recipients_reordered", "the first two recipient entries swapped",
                          withEntries([entries[1], entries[0], entries[2]]), expect: "recipientsNotSorted"))
        cases.append(file("envelope_duplicate_recipient", "the first recipient entry repeated in place of the second",
                          withEntries([entries[0], entries[0], entries[2]]), expect: "duplicateRecipient"))
        cases.append(file("envelope_truncated_header", "cut inside the recipient list", Array(valid[0..<100]),
                          expect: "truncated"))
        cases.append(file("envelope_truncated_ciphertext", "only 100 bytes of ciphertext",
                          Array(valid[0..<(ciphertextStart + 100)]), expect: "truncated"))
        cases.append(file("envelope_ciphertext_one_byte_short", "the last byte of a 2048-byte bucket removed",
                          Array(twoK.dropLast()), expect: "invalidCiphertextLength"))
        cases.append(file("envelope_ciphertext_one_byte_long", "a byte appended: not a padding bucket",
                          valid + [0], expect: "invalidCiphertextLength"))
        cases.append(file("envelope_stripped_recipient", "the third recipient removed; no expectation, so authentication fails",
                          withEntries([entries[0], entries[1]]), expect: "authenticationFailed"))
        cases.append(file("envelope_stripped_recipient_expected", "the third recipient removed, opened against the bundle",
                          withEntries([entries[0], entries[1]]), expect: "recipientMissing", expected: true))
        cases.append(file("envelope_added_recipient", "an outsider's entry inserted in order; authentication fails",
                          withAdded, expect: "authenticationFailed"))
        cases.append(file("envelope_added_recipient_expected", "an outsider's entry inserted, opened against the bundle",
                          withAdded, expect: "unexpectedRecipient", expected: true))
        cases.append(file("envelope_wrong_kind_expected", "a tip opened where a triage event is expected",
                          valid, expect: "unexpectedKind", expected: true, kind: .triageEvent))
        cases.append(file("envelope_other_bundle_expected", "an envelope naming another bundle id",
                          CraftedEnvelope.sealFormat1(content, kind: .tip, context: [UInt8](repeating: 7, count: 32), to: everyone,
                                                      random: random),
                          expect: "contextMismatch", expected: true))
        cases.append(file("envelope_not_a_recipient", "opened by a key that is not among the recipients",
                          valid, expect: "notARecipient", opener: f.outsider))
        let openerIndex = header.recipientKeyIds.firstIndex(of: opener.publicKey.keyId)!
        cases.append(file("envelope_tampered_wrapped_key", "one bit of the opener's wrapped key flipped",
                          flipped(valid, at: entriesStart + openerIndex * entry + 16 + 40), expect: "wrappedKeyInvalid"))
        cases.append(file("envelope_tampered_context", "one bit of the context flipped", flipped(valid, at: 10),
                          expect: "authenticationFailed"))
        cases.append(file("envelope_tampered_other_wrap", "one bit of another recipient's wrapped key flipped",
                          flipped(valid, at: entriesStart + ((openerIndex + 1) % 3) * entry + 16 + 40),
                          expect: "authenticationFailed"))
        cases.append(file("envelope_tampered_nonce", "one bit of the nonce flipped", flipped(valid, at: ciphertextStart - 1),
                          expect: "authenticationFailed"))
        cases.append(file("envelope_tampered_ciphertext", "one bit of the ciphertext flipped",
                          flipped(valid, at: ciphertextStart + 5), expect: "authenticationFailed"))
        cases.append(file("envelope_tampered_tag", "one bit of the tag flipped", flipped(valid, at: valid.count - 1),
                          expect: "authenticationFailed"))
        cases.append(file("envelope_no_padding_marker", "authentic, but the padded content is all zeros: no 0x80 marker",
                          craft(.uncommitted, context: context, to: everyone, padded: [UInt8](repeating: 0, count: 1024), random: random),
                          expect: "invalidPadding"))
        var badTail = [UInt8](repeating: 0, count: 1024)
        badTail[10] = 0x80
        badTail[1000] = 0x01
        cases.append(file("envelope_nonzero_after_marker", "authentic, but a non-zero byte follows the last 0x80",
                          craft(.uncommitted, context: context, to: everyone, padded: badTail, random: random), expect: "invalidPadding"))
        var roomy = [UInt8](repeating: 0, count: 2048)
        roomy[0..<10] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        roomy[10] = 0x80
        cases.append(file("envelope_oversized_bucket", "authentic and well padded, but 10 bytes in the 2048-byte bucket",
                          craft(.uncommitted, context: context, to: everyone, padded: roomy, random: random), expect: "invalidPadding"))
        return (cases, valid)
    }

    /// The format-2 cases: key-committing envelopes, an envelope whose
    /// sender gave each recipient another key, and what breaks the commitment.
    /// `formatOne` is the valid format-1 envelope, for relabelling.
    static func makeFormat2(_ f: VectorFixtures, formatOne: [UInt8]) throws -> [VectorFile] {
        let random = SeededRandom(seed: "envelope-v2")
        let everyone = f.responders.map(\.box.publicKey)
        let opener = f.responders[1].box
        let context = f.bundle.id
        let valid = try Envelope.seal(content, kind: .tip, context: context, to: everyone, random: random)
        let header = try EnvelopeHeader(parsing: valid)
        let commitmentStart = header.committedByteCount
        let ciphertextStart = header.byteCount

        func file(_ name: String, _ comment: String, _ bytes: [UInt8], expect: String = "success",
                  opener: BoxKeyPair = opener, expected: Bool = false, kind: EnvelopeKind = .tip,
                  content: [UInt8]? = nil) -> VectorFile {
            Self.file(f, name, comment, bytes, expect: expect, opener: opener, expected: expected, kind: kind, content: content)
        }

        var cases: [VectorFile] = []
        cases.append(file("envelope_v2_valid_three_recipients",
                          "format 2: a tip sealed to the bundle's three responders, opened by the second",
                          valid, expected: true, content: content))
        cases.append(file("envelope_v2_valid_third_recipient", "format 2: the same envelope opened by the third recipient",
                          valid, opener: f.responders[2].box, content: content))
        let single = try Envelope.seal(content, kind: .tip, context: context, to: [opener.publicKey], random: random)
        cases.append(file("envelope_v2_valid_one_recipient", "format 2: a tip sealed to one recipient", single, content: content))
        let longer = [UInt8](repeating: 0x42, count: 1024)
        let twoK = try Envelope.seal(longer, kind: .tip, context: context, to: everyone, random: random)
        cases.append(file("envelope_v2_valid_1024_bytes", "format 2: 1024 bytes of content need the 2048-byte bucket", twoK,
                          content: longer))

        // One envelope, a different valid key wrapped to each responder; the
        // commitment and the ciphertext use the second responder's. Only the
        // second may read it; the others must stop at the commitment.
        let keys = (0..<3).map { _ in random.secret(Envelope.contentKeyByteCount) }
        let split = CraftedEnvelope.build(format: .keyCommitting, context: context,
                                          wraps: f.responders.enumerated().map { ($0.element.box.publicKey, keys[$0.offset]) },
                                          committedKey: keys[1], padded: CraftedEnvelope.pad(content), random: random)
        cases.append(file("envelope_v2_split_keys_first_recipient",
                          "each responder's wrap holds a different valid key; the commitment names the second's; opened by the first",
                          split, expect: "commitmentMismatch", opener: f.responders[0].box))
        cases.append(file("envelope_v2_split_keys_second_recipient",
                          "each responder's wrap holds a different valid key; the commitment names the second's; opened by the second",
                          split, content: content))
        cases.append(file("envelope_v2_split_keys_third_recipient",
                          "each responder's wrap holds a different valid key; the commitment names the second's; opened by the third",
                          split, expect: "commitmentMismatch", opener: f.responders[2].box))

        cases.append(file("envelope_v2_tampered_commitment", "one bit of the key commitment flipped",
                          flipped(valid, at: commitmentStart + 7), expect: "commitmentMismatch"))
        cases.append(file("envelope_v2_tampered_nonce", "one bit of the nonce flipped: the commitment covers it",
                          flipped(valid, at: commitmentStart - 1), expect: "commitmentMismatch"))
        let entries = Self.entries(of: valid)
        cases.append(file("envelope_v2_stripped_recipient", "the third recipient removed; no expectation, so the commitment fails",
                          withEntries(valid, [entries[0], entries[1]]), expect: "commitmentMismatch"))
        cases.append(file("envelope_v2_tampered_ciphertext", "one bit of the ciphertext flipped: the commitment holds, authentication fails",
                          flipped(valid, at: ciphertextStart + 5), expect: "authenticationFailed"))
        cases.append(file("envelope_v2_truncated_commitment", "cut inside the key commitment",
                          Array(valid[0..<(commitmentStart + 16)]), expect: "truncated"))
        cases.append(file("envelope_v2_relabelled_as_format_1", "a format-2 envelope whose format byte says 1",
                          replacing(valid, at: 4, with: 1), expect: "invalidCiphertextLength"))
        cases.append(file("envelope_v1_relabelled_as_format_2",
                          "envelope_valid_three_recipients with format byte 2: 32 ciphertext bytes read as the commitment leave too few",
                          replacing(formatOne, at: 4, with: 2), expect: "truncated"))
        cases.append(file("envelope_v2_no_padding_marker", "format 2, committed and authentic, but the padded content is all zeros",
                          craft(.keyCommitting, context: context, to: everyone, padded: [UInt8](repeating: 0, count: 1024), random: random),
                          expect: "invalidPadding"))
        return cases
    }

    /// Builds an authentic envelope around arbitrary padded bytes, to reach
    /// the padding check that ``Envelope/seal`` never fails.
    static func craft(_ format: EnvelopeFormat, context: [UInt8], to keys: [BoxPublicKey], padded: [UInt8],
                      random: SeededRandom) -> [UInt8] {
        let key = random.secret(32)
        return CraftedEnvelope.build(format: format, context: context, wraps: keys.map { ($0, key) }, committedKey: key,
                                     padded: padded, random: random)
    }
}
