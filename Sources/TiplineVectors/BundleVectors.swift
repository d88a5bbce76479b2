import TiplineCrypto

/// Key-bundle cases (proto/PROTOCOL.md §3). Malformed bodies are written
/// field by field and then signed properly, so each breaks exactly one rule.
enum BundleVectors {
    struct Entry {
        var sign: [UInt8]
        var box: [UInt8]
        var role: UInt8
        var name: [UInt8]
    }

    struct Body {
        var magic = KeyBundle.magic
        /// Format 1 unless a case is about format 2, so that the older cases keep their bytes.
        var format: UInt8 = 1
        var version: UInt64 = 3
        var issued = VectorClock.issued
        var expires = VectorClock.expires
        var org: [UInt8]
        var server: [UInt8]
        var count: UInt8?
        var entries: [Entry]
        /// Format 2's `rk_window`, `rk_grace` and `rk_policy`, written when set.
        var policy: (window: UInt32, grace: UInt32, rule: UInt8)?

        func encoded() -> [UInt8] {
            var w = ByteWriter()
            w.write(magic)
            w.write(format)
            w.write(version)
            w.write(issued)
            w.write(expires)
            w.write(org)
            w.write(server)
            w.write(count ?? UInt8(entries.count))
            for e in entries {
                w.write(e.sign)
                w.write(e.box)
                w.write(e.role)
                w.writeShortString(e.name)
            }
            if let policy {
                w.write(policy.window)
                w.write(policy.grace)
                w.write(policy.rule)
            }
            return w.bytes
        }
    }

    static func make(_ f: VectorFixtures) throws -> [VectorFile] {
        let random = SeededRandom(seed: "bundle")
        let pinned = f.bundle.organisationFingerprint.description
        let base = Body(org: f.organisation.publicKey.bytes, server: f.server.publicKey.bytes,
                        entries: f.bundle.responders.map {
                            Entry(sign: $0.signingKey.bytes, box: $0.boxKey.bytes, role: $0.role.rawValue,
                                  name: Array($0.name.utf8))
                        })
        func signed(_ body: [UInt8], by key: SigningKeyPair? = nil) -> [UInt8] {
            body + (key ?? f.organisation).sign(body, context: DomainHash.Label.bundleSignature)
        }
        func file(_ name: String, _ comment: String, _ bytes: [UInt8], expect: String = "success",
                  now: UInt64 = VectorClock.now, pinned pin: String? = nil, seen: (UInt64, [UInt8])? = nil,
                  id: [UInt8]? = nil) -> VectorFile {
            var headers: [(String, String)] = [("format", "bundle"), ("expect", expect), ("comment", comment),
                                               ("pinned", pin ?? pinned), ("now", String(now))]
            if let seen {
                headers.append(("seen-version", String(seen.0)))
                headers.append(("seen-id", Hex.encode(seen.1)))
            }
            if let id { headers.append(("bundle-id", Hex.encode(id))) }
            return VectorFile(name: name, headers: headers, body: bytes)
        }
        func variant(_ change: (inout Body) -> Void) -> [UInt8] {
            var b = base
            change(&b)
            return signed(b.encoded())
        }

        let valid = f.signedBundle.encoded
        var cases: [VectorFile] = []
        cases.append(file("bundle_valid", "version 3 with three responders", valid, id: f.signedBundle.id))
        cases.append(file("bundle_valid_after_older", "accepted after version 2 was seen", valid,
                          seen: (2, [UInt8](repeating: 2, count: 32)), id: f.signedBundle.id))
        cases.append(file("bundle_valid_same_again", "the same bundle seen again is accepted", valid,
                          seen: (3, f.signedBundle.id), id: f.signedBundle.id))
        cases.append(file("bundle_valid_lowercase_pin", "the pinned fingerprint typed in lower case without dashes",
                          valid, pinned: pinned.lowercased().replacing("-", with: ""),
                          id: f.signedBundle.id))

        var sig = valid
        sig[sig.count - 10] ^= 1
        cases.append(file("bundle_bad_signature", "one bit of the signature flipped", sig, expect: "badSignature"))
        var body = valid
        body[70] ^= 1
        cases.append(file("bundle_tampered_body", "one bit of the server key flipped after signing", body,
                          expect: "badSignature"))
        let impostor = SigningKeyPair(random: random)
        cases.append(file("bundle_signed_by_other_key", "org key field is the real one, signature by another key",
                          signed(base.encoded(), by: impostor), expect: "badSignature"))
        var foreign = base
        foreign.org = impostor.publicKey.bytes
        cases.append(file("bundle_wrong_organisation", "a validly signed bundle of another organisation",
                          signed(foreign.encoded(), by: impostor), expect: "wrongOrganisation"))
        cases.append(file("bundle_expired", "checked one second after expiry", valid, expect: "expired",
                          now: VectorClock.expires))
        cases.append(file("bundle_not_yet_valid", "issued more than 300 s in the future", valid,
                          expect: "notYetValid", now: VectorClock.issued - 301))
        cases.append(file("bundle_rollback", "version 3 after version 4 was seen", valid, expect: "rollback",
                          seen: (4, [UInt8](repeating: 4, count: 32))))
        cases.append(file("bundle_equivocation", "another bundle with version 3 was seen", valid,
                          expect: "equivocation", seen: (3, [UInt8](repeating: 3, count: 32))))

        cases.append(file("bundle_bad_magic", "magic is TLKC", variant { $0.magic = Array("TLKC".utf8) },
                          expect: "badMagic"))
        cases.append(file("bundle_unsupported_format", "format byte is 3", variant { $0.format = 3 },
                          expect: "unsupportedFormat"))
        cases.append(file("bundle_truncated", "cut inside the second responder", Array(valid[0..<250]),
                          expect: "truncated"))
        cases.append(file("bundle_too_short", "shorter than a signature", Array(valid[0..<40]), expect: "truncated"))
        cases.append(file("bundle_trailing_bytes", "a zero byte between the body and the signature",
                          signed(base.encoded() + [0]), expect: "trailingBytes"))
        cases.append(file("bundle_zero_version", "version 0", variant { $0.version = 0 }, expect: "invalidVersion"))
        cases.append(file("bundle_invalid_validity", "expires at the moment it is issued",
                          variant { $0.expires = $0.issued }, expect: "invalidValidityPeriod"))
        cases.append(file("bundle_no_responders", "count 0", variant { $0.entries = [] }, expect: "noResponders"))
        let many = (0..<129).map { _ in (SigningKeyPair(random: random), BoxKeyPair(random: random)) }
            .sorted { $0.1.publicKey.keyId < $1.1.publicKey.keyId }
            .enumerated().map { i, k in
                Entry(sign: k.0.publicKey.bytes, box: k.1.publicKey.bytes, role: 1, name: Array("r\(i)".utf8))
            }
        cases.append(file("bundle_too_many_responders", "129 responders", variant { $0.entries = many },
                          expect: "tooManyResponders"))
        cases.append(file("bundle_unsorted_responders", "the first two responders swapped",
                          variant { $0.entries.swapAt(0, 1) }, expect: "respondersNotSorted"))
        cases.append(file("bundle_duplicate_box_key", "the second responder's X25519 key equals the first's",
                          variant { $0.entries[1].box = $0.entries[0].box }, expect: "duplicateResponder"))
        cases.append(file("bundle_duplicate_signing_key", "the second responder's Ed25519 key equals the first's",
                          variant { $0.entries[1].sign = $0.entries[0].sign }, expect: "duplicateResponder"))
        cases.append(file("bundle_duplicate_name", "two responders named alike",
                          variant { $0.entries[1].name = $0.entries[0].name }, expect: "duplicateResponder"))
        cases.append(file("bundle_unknown_role", "role byte 7", variant { $0.entries[2].role = 7 }, expect: "unknownRole"))
        cases.append(file("bundle_empty_name", "an empty display name", variant { $0.entries[0].name = [] },
                          expect: "invalidName"))
        cases.append(file("bundle_control_character_name", "a name with a line feed",
                          variant { $0.entries[0].name = Array("eve\nadmin".utf8) }, expect: "invalidName"))
        cases.append(file("bundle_invalid_utf8_name", "a name that is not UTF-8",
                          variant { $0.entries[0].name = [0x61, 0xff, 0x62] }, expect: "invalidName"))
        cases.append(file("bundle_long_name", "a 65-byte name",
                          variant { $0.entries[0].name = [UInt8](repeating: 0x61, count: 65) }, expect: "invalidName"))

        // Format 2: the receiving-key policy after the responders (§3.1).
        func v2(_ window: UInt32, _ grace: UInt32, _ rule: UInt8) -> [UInt8] {
            variant { $0.format = 2; $0.policy = (window, grace, rule) }
        }
        let v2Valid = v2(604_800, 1_209_600, 1)
        let v2Id = DomainHash.hash(DomainHash.Label.bundleId, Array(v2Valid.dropLast(64)))
        cases.append(file("bundle_v2_valid", "format 2: 7-day receiving keys, 14 days' grace, skip responders without one",
                          v2Valid, id: v2Id))
        cases.append(file("bundle_v2_identity_fallback", "format 2: 60-second keys, no grace, fall back to identity keys",
                          v2(60, 0, 2), id: DomainHash.hash(DomainHash.Label.bundleId, Array(v2(60, 0, 2).dropLast(64)))))
        cases.append(file("bundle_v2_window_too_short", "format 2: a 59-second window", v2(59, 0, 1), expect: "invalidPolicy"))
        cases.append(file("bundle_v2_window_too_long", "format 2: a window of 90 days and 1 second",
                          v2(7_776_001, 0, 1), expect: "invalidPolicy"))
        cases.append(file("bundle_v2_grace_too_long", "format 2: a grace of 365 days and 1 second",
                          v2(604_800, 31_536_001, 1), expect: "invalidPolicy"))
        cases.append(file("bundle_v2_unknown_fallback", "format 2: rk_policy 3", v2(604_800, 0, 3), expect: "invalidPolicy"))
        cases.append(file("bundle_v2_without_policy", "format 2 with the policy missing (a format-1 body relabelled)",
                          variant { $0.format = 2 }, expect: "truncated"))
        cases.append(file("bundle_v1_with_policy", "format 1 with a policy after the responders",
                          variant { $0.policy = (604_800, 1_209_600, 1) }, expect: "trailingBytes"))
        return cases
    }
}
