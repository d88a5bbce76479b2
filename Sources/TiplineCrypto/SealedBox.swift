import CSodium

/// `crypto_box_seal`: anonymous-sender public-key encryption of a short secret
/// (in Tipline, always a 32-byte content key) to one X25519 public key.
///
/// Output: `ephemeral_pk (32) || crypto_box_easy(m, nonce, recipient_pk, ephemeral_sk)`
/// with `nonce = BLAKE2b-192(ephemeral_pk || recipient_pk)`.
public enum SealedBox {
    /// `crypto_box_SEALBYTES`, a compound macro Swift cannot import.
    public static let overhead = Int(crypto_box_sealbytes())

    /// Seals `message` to `recipient`. With ``SystemRandom`` this is libsodium's
    /// own `crypto_box_seal`. With any other source (test vectors only), the
    /// ephemeral key pair is drawn from it and the same construction is spelled
    /// out with `crypto_box_easy`, giving bytes that `crypto_box_seal_open` opens.
    public static func seal(_ message: SecureBytes, to recipient: BoxPublicKey, random: some RandomSource) -> [UInt8] {
        Sodium.ensureInitialized()
        var out = [UInt8](repeating: 0, count: message.count + overhead)
        if random.isSystem {
            message.withUnsafeBytes { m in
                _ = crypto_box_seal(&out, m.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                    UInt64(m.count), recipient.bytes)
            }
            return out
        }
        let ephemeral = BoxKeyPair(random: random)
        var nonce = [UInt8](repeating: 0, count: Int(crypto_box_NONCEBYTES))
        let nonceInput = ephemeral.publicKey.bytes + recipient.bytes
        crypto_generichash(&nonce, nonce.count, nonceInput, UInt64(nonceInput.count), nil, 0)
        out.replaceSubrange(0..<32, with: ephemeral.publicKey.bytes)
        out.withUnsafeMutableBufferPointer { o in
            message.withUnsafeBytes { m in
                ephemeral.secretKey.withUnsafeBytes { esk in
                    _ = crypto_box_easy(o.baseAddress! + 32, m.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                        UInt64(m.count), nonce, recipient.bytes,
                                        esk.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
            }
        }
        return out
    }

    /// Opens a sealed box with `keyPair`; `nil` when it does not authenticate.
    public static func open(_ box: [UInt8], with keyPair: BoxKeyPair) -> SecureBytes? {
        Sodium.ensureInitialized()
        guard box.count >= overhead else { return nil }
        var ok = false
        let plain = SecureBytes(count: box.count - overhead) { m in
            keyPair.secretKey.withUnsafeBytes { sk in
                ok = crypto_box_seal_open(m.baseAddress!.assumingMemoryBound(to: UInt8.self), box, UInt64(box.count),
                                          keyPair.publicKey.bytes,
                                          sk.baseAddress!.assumingMemoryBound(to: UInt8.self)) == 0
            }
        }
        return ok ? plain : nil
    }
}
