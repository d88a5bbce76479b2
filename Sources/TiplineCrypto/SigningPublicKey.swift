import CSodium

/// An Ed25519 public key (32 bytes).
public struct SigningPublicKey: Hashable, Sendable {
    public static let byteCount = Int(crypto_sign_PUBLICKEYBYTES)
    public let bytes: [UInt8]

    /// Accepts exactly 32 bytes; anything else is `nil`.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    /// The key id of this key (proto/PROTOCOL.md §2.4).
    public var keyId: KeyId { KeyId(publicKey: bytes) }

    /// Verifies a detached Ed25519 signature over `u8(len(context)) || context || message`.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8], context: String) -> Bool {
        Sodium.ensureInitialized()
        guard signature.count == Int(crypto_sign_BYTES) else { return false }
        let input = SigningKeyPair.signedInput(context: context, message: message)
        return crypto_sign_verify_detached(signature, input, UInt64(input.count), bytes) == 0
    }
}
