import CSodium
import TiplineCrypto

/// Check 11: what the cryptography is. The libsodium in use, the primitives
/// with the sizes the linked library reports (each must be what
/// PROTOCOL.md §1.1 fixes), and each keystore's Argon2id cost, read from its
/// header without the passphrase.
enum CryptoInventory {
    static func results(keystores: [String]) -> [AuditCheckResult] {
        [library(), primitives()] + keystores.map(keystore)
    }

    static func library() -> AuditCheckResult {
        AuditCheckResult(.libsodium, .pass,
                         "libsodium \(Sodium.versionString) (library version \(sodium_library_version_major()).\(sodium_library_version_minor()))")
    }

    static func primitives() -> AuditCheckResult {
        Sodium.ensureInitialized()
        // (what, size the linked library reports, size the protocol fixes)
        let sizes: [(String, Int, Int)] = [
            ("Ed25519 public key", Int(crypto_sign_publickeybytes()), 32),
            ("Ed25519 signature", Int(crypto_sign_bytes()), 64),
            ("X25519 public key", Int(crypto_box_publickeybytes()), 32),
            ("sealed box overhead", Int(crypto_box_sealbytes()), 48),
            ("XChaCha20-Poly1305 key", Int(crypto_aead_xchacha20poly1305_ietf_keybytes()), 32),
            ("XChaCha20-Poly1305 nonce", Int(crypto_aead_xchacha20poly1305_ietf_npubbytes()), 24),
            ("XChaCha20-Poly1305 tag", Int(crypto_aead_xchacha20poly1305_ietf_abytes()), 16),
            ("secretstream header", Int(crypto_secretstream_xchacha20poly1305_headerbytes()), 24),
            ("secretstream overhead", Int(crypto_secretstream_xchacha20poly1305_abytes()), 17),
            ("BLAKE2b largest output", Int(crypto_generichash_bytes_max()), 64),
            ("Argon2id13 algorithm id", Int(crypto_pwhash_alg_argon2id13()), 2),
            ("Argon2id salt", Int(crypto_pwhash_saltbytes()), 16),
        ]
        var findings = Findings()
        for (what, linked, fixed) in sizes where linked != fixed {
            findings.fail("the linked libsodium gives \(what) as \(linked), the protocol fixes \(fixed)")
        }
        let moderate = KeystoreParameters.moderate
        return findings.result(.primitives, pass: """
            Ed25519 signatures (crypto_sign); X25519 sealed boxes (crypto_box_seal); \
            XChaCha20-Poly1305-IETF (envelopes, keystores) and secretstream XChaCha20-Poly1305 (attachments); \
            BLAKE2b (crypto_generichash: ids, fingerprints, the audit chain); \
            Argon2id13 (crypto_pwhash; MODERATE is opslimit \(moderate.opsLimit), memlimit \(AuditText.size(moderate.memLimit))); \
            all sizes as the protocol fixes them
            """)
    }

    /// A keystore passes when its parameters meet MODERATE, are within what
    /// readers accept, and only its owner can read it.
    static func keystore(_ path: String) -> AuditCheckResult {
        let file: [UInt8]
        var findings = Findings()
        do throws(AtomicFile.Failure) {
            file = try AtomicFile.read(path, limit: Keystore.maximumFileSize, requirePrivate: true)
        } catch .insecurePermissions(_, let mode) {
            findings.fail("\(path): group or others may access it (mode \(String(mode, radix: 8)))")
            guard let bytes = try? AtomicFile.read(path, limit: Keystore.maximumFileSize) else {
                return findings.result(.keystore, pass: "")
            }
            file = bytes
        } catch {
            return AuditCheckResult(.keystore, .fail, "\(path): \(error)")
        }
        let parameters: KeystoreParameters
        do { parameters = try Keystore.inspect(file) } catch {
            findings.fail("\(path): not a readable keystore: \(error)")
            return findings.result(.keystore, pass: "")
        }
        let moderate = KeystoreParameters.moderate
        if !parameters.meetsModerate {
            findings.fail("""
                \(path): \(AuditText.parameters(parameters)) is below MODERATE \
                (opslimit \(moderate.opsLimit), memlimit \(AuditText.size(moderate.memLimit)))
                """)
        } else if !parameters.isWithinLimits {
            findings.fail("\(path): \(AuditText.parameters(parameters)) is beyond what readers accept")
        }
        return findings.result(.keystore, pass: "\(path): \(AuditText.parameters(parameters)), meets MODERATE")
    }
}
