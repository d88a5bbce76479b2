import TiplineCrypto

/// Release-signature cases (proto/PROTOCOL.md §9.1). Bodies are written field
/// by field, independently of `ReleaseSignature`, and signed properly unless
/// the case is about the signature, so that each breaks exactly one rule.
enum ReleaseVectors {
    struct Body {
        var magic = ReleaseSignature.magic
        var format = ReleaseSignature.formatVersion
        var org: [UInt8]
        var signedAt = VectorClock.now
        var size: UInt64
        var hash: [UInt8]
        var name = Array("tip".utf8)

        func encoded() -> [UInt8] {
            var w = ByteWriter()
            w.write(magic)
            w.write(format)
            w.write(org)
            w.write(signedAt)
            w.write(size)
            w.write(hash)
            w.writeShortString(name)
            return w.bytes
        }
    }

    static func make(_ f: VectorFixtures) -> [VectorFile] {
        let random = SeededRandom(seed: "release")
        let program = random.bytes(300)
        let other = SigningKeyPair(random: random)
        let pinned = Fingerprint(organisationKey: f.organisation.publicKey).description
        let base = Body(org: f.organisation.publicKey.bytes, size: UInt64(program.count),
                        hash: DomainHash.hash(DomainHash.Label.releaseFile, program))

        func signed(_ body: Body, by key: SigningKeyPair? = nil, context: String = ReleaseSignature.context) -> [UInt8] {
            body.encoded() + (key ?? f.organisation).sign(body.encoded(), context: context)
        }
        /// Signs `original`, then puts `changed`'s body in its place: a field
        /// altered after signing.
        func altered(_ original: Body, to changed: Body) -> [UInt8] {
            changed.encoded() + signed(original).suffix(SigningKeyPair.signatureByteCount)
        }
        func file(_ name: String, _ comment: String, _ bytes: [UInt8], expect: String = "success",
                  releaseFile: [UInt8] = program, pinned pin: String = pinned, signed body: Body = base) -> VectorFile {
            var headers: [(String, String)] = [("format", "release"), ("expect", expect), ("comment", comment),
                                               ("pinned", pin), ("release-file", Hex.encode(releaseFile))]
            if expect == "success" {
                headers += [("name", String(decoding: body.name, as: UTF8.self)), ("signed-at", String(body.signedAt)),
                            ("size", String(body.size)), ("release-hash", Hex.encode(body.hash))]
            }
            return VectorFile(name: name, headers: headers, body: bytes)
        }
        func with(_ change: (inout Body) -> Void) -> Body {
            var body = base
            change(&body)
            return body
        }

        var tampered = program
        tampered[150] ^= 0x01
        let empty = with { $0.size = 0; $0.hash = DomainHash.hash(DomainHash.Label.releaseFile, []); $0.name = Array("notes.txt".utf8) }
        let thai = Array("ทิปไลน์-".utf8)
        let longName = with { $0.name = thai + [UInt8](repeating: UInt8(ascii: "x"), count: 255 - thai.count) }
        let valid = signed(base)

        return [
            file("release_valid", "a program signed by the pinned organisation", valid),
            file("release_valid_empty_file", "an empty file, signed", signed(empty), releaseFile: [], signed: empty),
            file("release_valid_long_name", "a 255-byte UTF-8 name", signed(longName), signed: longName),
            file("release_tampered_file", "one bit of the program changed after signing", valid, expect: "fileMismatch",
                 releaseFile: tampered),
            file("release_truncated_file", "the program's last byte missing (an incomplete download)", valid,
                 expect: "sizeMismatch", releaseFile: Array(program.dropLast())),
            file("release_extended_file", "a byte appended to the program", valid, expect: "sizeMismatch",
                 releaseFile: program + [0]),
            file("release_wrong_organisation", "signed by another organisation, whose own key is in the file",
                 signed(with { $0.org = other.publicKey.bytes }, by: other), expect: "wrongOrganisation"),
            file("release_other_pinned_organisation", "the pinned fingerprint is another organisation's", valid,
                 expect: "wrongOrganisation", pinned: Fingerprint(organisationKey: other.publicKey).description),
            file("release_signed_by_other_key", "the organisation's key in the file, another key's signature",
                 signed(base, by: other), expect: "badSignature"),
            file("release_bundle_context", "the organisation's signature under the bundle context",
                 signed(base, context: DomainHash.Label.bundleSignature), expect: "badSignature"),
            file("release_tampered_signature", "one bit of the signature changed", valid.enumerated().map { i, b in
                i == valid.count - 1 ? b ^ 0x01 : b
            }, expect: "badSignature"),
            file("release_tampered_hash", "the hash of the tampered program put in after signing",
                 altered(base, to: with { $0.hash = DomainHash.hash(DomainHash.Label.releaseFile, tampered) }),
                 expect: "badSignature", releaseFile: tampered),
            file("release_tampered_size", "the size changed after signing",
                 altered(base, to: with { $0.size += 1 }), expect: "badSignature"),
            file("release_tampered_name", "the name changed after signing",
                 altered(base, to: with { $0.name = Array("tipline".utf8) }), expect: "badSignature"),
            file("release_tampered_time", "the signing time changed after signing",
                 altered(base, to: with { $0.signedAt += 86_400 }), expect: "badSignature"),
            file("release_truncated", "the signature's last byte missing", Array(valid.dropLast()), expect: "truncated"),
            file("release_truncated_body", "cut inside the name", Array(base.encoded().dropLast()), expect: "truncated"),
            file("release_truncated_magic", "three bytes", Array(valid.prefix(3)), expect: "truncated"),
            file("release_trailing_bytes", "a byte after the signature", valid + [0], expect: "trailingBytes"),
            file("release_bad_magic", "a bundle's magic", signed(with { $0.magic = KeyBundle.magic }), expect: "badMagic"),
            file("release_unsupported_format", "format 2", signed(with { $0.format = 2 }), expect: "unsupportedFormat"),
            file("release_empty_name", "a name of 0 bytes", signed(with { $0.name = [] }), expect: "invalidName"),
            file("release_control_character_name", "an escape character in the name",
                 signed(with { $0.name = Array("tip\u{1B}[2J".utf8) }), expect: "invalidName"),
            file("release_path_name", "a path, not a name", signed(with { $0.name = Array("bin/tip".utf8) }),
                 expect: "invalidName"),
            file("release_invalid_utf8_name", "a name that is not UTF-8", signed(with { $0.name = [0x74, 0xFF, 0x70] }),
                 expect: "invalidName"),
        ]
    }
}
