import TiplineCrypto

/// Keystore cases (proto/PROTOCOL.md §7), all with libsodium's minimum
/// Argon2id parameters (1 pass, 8 KiB) so that replaying them is instant.
/// Real keystores use MODERATE or stronger.
enum KeystoreVectors {
    static let passphrase = Array("correct horse battery staple".utf8)

    static func make() throws -> [VectorFile] {
        let random = SeededRandom(seed: "keystore")
        let contents = KeystoreContents.generate(role: .responder, name: "amara",
                                                 parameters: .insecureForTesting, random: random)
        let valid = try Keystore.seal(contents, passphrase: SecureBytes(copying: passphrase), random: random)

        func file(_ name: String, _ comment: String, _ bytes: [UInt8], expect: String = "success",
                  passphrase pass: [UInt8] = passphrase) -> VectorFile {
            var headers: [(String, String)] = [("format", "keystore"), ("expect", expect), ("comment", comment),
                                               ("passphrase", Hex.encode(pass))]
            if expect == "success" {
                headers += [("role", String(contents.role.rawValue)), ("name", contents.name),
                            ("ed25519-pk", Hex.encode(contents.signingKey.publicKey.bytes)),
                            ("x25519-pk", Hex.encode(contents.boxKey.publicKey.bytes))]
            }
            return VectorFile(name: name, headers: headers, body: bytes)
        }
        /// Changes prefix byte `index` and recomputes the header checksum, so
        /// that the one change is all that is wrong.
        func rechecked(_ index: Int, _ value: UInt8) -> [UInt8] {
            var b = valid
            b[index] = value
            let sum = DomainHash.hash("tipline/v1/keystore/header", outputLength: 16,
                                      Array(b[0..<Keystore.prefixByteCount]))
            b.replaceSubrange(Keystore.prefixByteCount..<(Keystore.prefixByteCount + 16), with: sum)
            return b
        }
        func flipped(_ index: Int) -> [UInt8] {
            var b = valid
            b[index] ^= 1
            return b
        }

        // Format 2: the same responder after two rotations, with an archive key.
        let organisation = SigningKeyPair(random: random)
        let held = (0..<2).map { i in
            let pair = BoxKeyPair(random: random)
            let from = 1_800_000_000 + UInt64(i) * 604_800
            return HeldReceivingKey(statement: ReceivingKeyStatement(organisationKey: organisation.publicKey, responder: contents.signingKey,
                                                                     publicKey: pair.publicKey, notBefore: from, notAfter: from + 604_800),
                                    keyPair: pair)
        }
        let rotated = KeystoreContents(role: contents.role, name: contents.name, signingKey: contents.signingKey, boxKey: contents.boxKey,
                                       parameters: contents.parameters, archiveKey: random.secret(32), receivingKeys: held)
        let v2 = try Keystore.seal(rotated, passphrase: SecureBytes(copying: passphrase), random: random)
        var v2File = file("keystore_v2_valid_responder", "format 2: an archive key and two receiving keys", v2)
        v2File = VectorFile(name: v2File.name, headers: v2File.headers.map { ($0.key, $0.value) } + [
            ("receiving-pks", held.map { Hex.encode($0.keyPair.publicKey.bytes) }.joined(separator: ","))], body: v2)

        return [
            v2File,
            file("keystore_v2_truncated_payload", "format 2 with its last receiving key cut short", Array(v2.dropLast(40)),
                 expect: "damagedPayload"),
            file("keystore_valid_responder", "a responder keystore at the minimum (test-only) Argon2id parameters", valid),
            file("keystore_wrong_passphrase", "unlocked with another passphrase", valid, expect: "wrongPassphrase",
                 passphrase: Array("correct horse battery stapler".utf8)),
            file("keystore_bad_magic", "magic is TLKT", { var b = valid; b[3] = 0x54; return b }(), expect: "badMagic"),
            file("keystore_truncated", "cut inside the header", Array(valid[0..<60]), expect: "truncated"),
            file("keystore_damaged_salt", "one bit of the salt flipped", flipped(30), expect: "damagedHeader"),
            file("keystore_damaged_checksum", "one bit of the header checksum flipped", flipped(Keystore.prefixByteCount),
                 expect: "damagedHeader"),
            file("keystore_unsupported_format", "format byte 3, checksum recomputed", rechecked(4, 3),
                 expect: "unsupportedFormat"),
            file("keystore_unsupported_kdf", "KDF byte 1 (Argon2i), checksum recomputed", rechecked(5, 1),
                 expect: "unsupportedKDF"),
            file("keystore_zero_opslimit", "opslimit 0, checksum recomputed", rechecked(13, 0),
                 expect: "parametersOutOfRange"),
            file("keystore_huge_memlimit", "memlimit 2^56 bytes, checksum recomputed", rechecked(14, 1),
                 expect: "parametersOutOfRange"),
            file("keystore_damaged_passphrase_check", "one bit of the passphrase check flipped",
                 flipped(Keystore.prefixByteCount + 16), expect: "wrongPassphrase"),
            file("keystore_damaged_payload", "one bit of the encrypted payload flipped", flipped(valid.count - 20),
                 expect: "damagedPayload"),
            file("keystore_truncated_payload", "the last 10 bytes removed", Array(valid.dropLast(10)),
                 expect: "damagedPayload"),
        ]
    }
}
