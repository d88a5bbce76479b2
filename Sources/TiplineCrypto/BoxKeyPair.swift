import CSodium

/// An X25519 key pair for `crypto_box_seal`. The secret half lives in ``SecureBytes``.
public final class BoxKeyPair: Sendable {
    public static let seedByteCount = Int(crypto_box_SEEDBYTES)

    public let publicKey: BoxPublicKey
    let secretKey: SecureBytes

    /// A fresh key pair from `random`.
    public convenience init(random: some RandomSource = SystemRandom()) {
        self.init(seed: random.secret(Self.seedByteCount))
    }

    /// The key pair that `crypto_box_seed_keypair` derives from `seed`.
    public init(seed: SecureBytes) {
        Sodium.ensureInitialized()
        precondition(seed.count == Self.seedByteCount, "X25519 seed must be 32 bytes")
        var pk = [UInt8](repeating: 0, count: BoxPublicKey.byteCount)
        secretKey = SecureBytes(count: Int(crypto_box_SECRETKEYBYTES)) { sk in
            seed.withUnsafeBytes { s in
                _ = crypto_box_seed_keypair(&pk, sk.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                            s.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        publicKey = BoxPublicKey(bytes: pk)!
    }

    /// The key pair whose 32-byte X25519 secret key is `secretKey`; the public
    /// key is recomputed with `crypto_scalarmult_base`.
    public init(secretKey: SecureBytes) {
        Sodium.ensureInitialized()
        precondition(secretKey.count == Int(crypto_box_SECRETKEYBYTES), "X25519 secret key must be 32 bytes")
        var pk = [UInt8](repeating: 0, count: BoxPublicKey.byteCount)
        secretKey.withUnsafeBytes { sk in
            _ = crypto_scalarmult_base(&pk, sk.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        self.secretKey = secretKey.slice(0..<secretKey.count)
        publicKey = BoxPublicKey(bytes: pk)!
    }

    /// A copy of the 32-byte secret key, for writing to a keystore.
    public func secretKeyCopy() -> SecureBytes { secretKey.slice(0..<secretKey.count) }

    /// Opens a sealed box addressed to this key pair; `nil` if it does not authenticate.
    public func openSealedBox(_ box: [UInt8]) -> SecureBytes? {
        SealedBox.open(box, with: self)
    }
}
