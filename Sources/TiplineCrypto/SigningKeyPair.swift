import CSodium

/// An Ed25519 key pair. The secret half lives in ``SecureBytes``.
public final class SigningKeyPair: Sendable {
    public static let seedByteCount = Int(crypto_sign_SEEDBYTES)
    public static let signatureByteCount = Int(crypto_sign_BYTES)

    public let publicKey: SigningPublicKey
    /// libsodium's 64-byte secret key (seed || public key).
    private let secretKey: SecureBytes

    /// A fresh key pair from `random`.
    public convenience init(random: some RandomSource = SystemRandom()) {
        self.init(seed: random.secret(Self.seedByteCount))
    }

    /// The key pair whose 32-byte seed is `seed` (`crypto_sign_seed_keypair`).
    public init(seed: SecureBytes) {
        Sodium.ensureInitialized()
        precondition(seed.count == Self.seedByteCount, "Ed25519 seed must be 32 bytes")
        var pk = [UInt8](repeating: 0, count: SigningPublicKey.byteCount)
        secretKey = SecureBytes(count: Int(crypto_sign_SECRETKEYBYTES)) { sk in
            seed.withUnsafeBytes { s in
                _ = crypto_sign_seed_keypair(&pk, sk.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                             s.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        publicKey = SigningPublicKey(bytes: pk)!
    }

    /// The 32-byte seed, for writing to a keystore.
    public func seed() -> SecureBytes { secretKey.slice(0..<Self.seedByteCount) }

    /// A detached Ed25519 signature over `u8(len(context)) || context || message`.
    /// The context label keeps a signature made for one purpose from being
    /// accepted for another.
    public func sign(_ message: [UInt8], context: String) -> [UInt8] {
        let input = Self.signedInput(context: context, message: message)
        var signature = [UInt8](repeating: 0, count: Self.signatureByteCount)
        secretKey.withUnsafeBytes { sk in
            _ = crypto_sign_detached(&signature, nil, input, UInt64(input.count),
                                     sk.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        return signature
    }

    static func signedInput(context: String, message: [UInt8]) -> [UInt8] {
        let label = Array(context.utf8)
        var input = [UInt8(label.count)]
        input.reserveCapacity(1 + label.count + message.count)
        input.append(contentsOf: label)
        input.append(contentsOf: message)
        return input
    }
}
