import TiplineCrypto

/// Receiving-key statement cases (proto/PROTOCOL.md §3.4), each checked
/// against the format-2 fixture bundle in its `bundle` header. Broken
/// statements are built field by field and signed by the key a case names,
/// so each breaks exactly one rule.
enum ReceivingKeyVectors {
    struct Body {
        var magic = ReceivingKeyStatement.magic
        var format = ReceivingKeyStatement.formatVersion
        var org: [UInt8]
        var responderId: [UInt8]
        var key: [UInt8]
        var notBefore = VectorClock.now - 3_600
        var notAfter = VectorClock.now - 3_600 + 604_800

        func encoded() -> [UInt8] {
            var w = ByteWriter()
            w.write(magic)
            w.write(format)
            w.write(org)
            w.write(responderId)
            w.write(key)
            w.write(notBefore)
            w.write(notAfter)
            return w.bytes
        }
    }

    static func make(_ f: VectorFixtures) throws -> [VectorFile] {
        let random = SeededRandom(seed: "receiving-key")
        let signer = f.responders[1].signing
        let receiving = BoxKeyPair(random: random)
        let otherOrganisation = SigningKeyPair(random: random)
        let pinned = f.bundleV2.organisationFingerprint.description
        let base = Body(org: f.organisation.publicKey.bytes, responderId: signer.publicKey.keyId.bytes,
                        key: receiving.publicKey.bytes)

        func signed(_ body: Body, by key: SigningKeyPair? = nil) -> [UInt8] {
            let bytes = body.encoded()
            return bytes + (key ?? signer).sign(bytes, context: ReceivingKeyStatement.signatureContext)
        }
        func file(_ name: String, _ comment: String, _ bytes: [UInt8], expect: String = "success",
                  now: UInt64 = VectorClock.now) -> VectorFile {
            var headers: [(String, String)] = [("format", "receiving-key"), ("expect", expect), ("comment", comment),
                                               ("pinned", pinned), ("now", String(now)),
                                               ("bundle", Hex.encode(f.signedBundleV2.encoded))]
            if expect == "success" {
                headers += [("responder-id", Hex.encode(Array(bytes[37..<53]))),
                            ("receiving-pk", Hex.encode(Array(bytes[53..<85]))),
                            ("receiving-key-id", Hex.encode(KeyId(publicKey: Array(bytes[53..<85])).bytes)),
                            ("not-before", String(base.notBefore)), ("not-after", String(base.notAfter))]
            }
            return VectorFile(name: name, headers: headers, body: bytes)
        }
        func variant(by key: SigningKeyPair? = nil, _ change: (inout Body) -> Void) -> [UInt8] {
            var b = base
            change(&b)
            return signed(b, by: key)
        }

        let valid = signed(base)
        var cases: [VectorFile] = []
        cases.append(file("receiving_key_valid", "budi's 7-day key, an hour into its window", valid))
        cases.append(file("receiving_key_valid_within_skew", "checked 300 s before not_before", valid,
                          now: base.notBefore - 300))
        cases.append(file("receiving_key_valid_last_second", "checked one second before not_after", valid,
                          now: base.notAfter - 1))
        cases.append(file("receiving_key_truncated", "one byte short", Array(valid.dropLast()), expect: "malformed"))
        cases.append(file("receiving_key_trailing_byte", "one byte too many", valid + [0], expect: "malformed"))
        cases.append(file("receiving_key_bad_magic", "magic is TLRJ", variant { $0.magic = Array("TLRJ".utf8) },
                          expect: "badMagic"))
        cases.append(file("receiving_key_unsupported_format", "format byte is 2", variant { $0.format = 2 },
                          expect: "unsupportedFormat"))
        cases.append(file("receiving_key_wrong_organisation", "signed by budi, but for another organisation's key",
                          variant { $0.org = otherOrganisation.publicKey.bytes }, expect: "wrongOrganisation"))
        let outsider = SigningKeyPair(random: random)
        cases.append(file("receiving_key_unknown_responder", "signed by someone who is not in the bundle, naming themselves",
                          variant(by: outsider) { $0.responderId = outsider.publicKey.keyId.bytes },
                          expect: "unknownResponder"))
        var flipped = valid
        flipped[flipped.count - 1] ^= 0x01
        cases.append(file("receiving_key_bad_signature", "one bit of the signature flipped", flipped, expect: "badSignature"))
        var moved = valid
        moved[100] ^= 0x01
        cases.append(file("receiving_key_window_changed", "not_after changed after signing", moved, expect: "badSignature"))
        cases.append(file("receiving_key_signed_by_other_responder", "names budi, signed by amara",
                          variant(by: f.responders[0].signing) { _ in }, expect: "badSignature"))
        cases.append(file("receiving_key_empty_window", "not_after equals not_before",
                          variant { $0.notAfter = $0.notBefore }, expect: "invalidWindow"))
        cases.append(file("receiving_key_window_too_long", "one second longer than the bundle's 7-day window",
                          variant { $0.notAfter = $0.notBefore + 604_801 }, expect: "invalidWindow"))
        cases.append(file("receiving_key_identity_key", "the receiving key is chanthou's identity X25519 key",
                          variant { $0.key = f.responders[2].box.publicKey.bytes }, expect: "keyIdCollision"))
        cases.append(file("receiving_key_zero_key", "the all-zero X25519 key", variant { $0.key = [UInt8](repeating: 0, count: 32) },
                          expect: "invalidKey"))
        cases.append(file("receiving_key_not_yet_valid", "checked 301 s before not_before", valid, expect: "notYetValid",
                          now: base.notBefore - 301))
        cases.append(file("receiving_key_expired", "checked at not_after", valid, expect: "expired", now: base.notAfter))
        return cases
    }
}
