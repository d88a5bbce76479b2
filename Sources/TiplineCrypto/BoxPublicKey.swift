import CSodium

/// An X25519 public key (32 bytes), the target of sealed boxes.
public struct BoxPublicKey: Hashable, Sendable {
    public static let byteCount = Int(crypto_box_PUBLICKEYBYTES)
    public let bytes: [UInt8]

    /// Accepts exactly 32 bytes; anything else is `nil`.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    /// The key id of this key (proto/PROTOCOL.md §2.4); envelopes label each
    /// wrapped key with it.
    public var keyId: KeyId { KeyId(publicKey: bytes) }
}
