/// One wrapped copy of an envelope's content key: `key_id (16) || wrapped_key (80)`,
/// where `wrapped_key = crypto_box_seal(content_key, recipient_x25519_pk)`.
public struct EnvelopeRecipient: Hashable, Sendable {
    public static let wrappedKeyByteCount = Envelope.contentKeyByteCount + SealedBox.overhead
    public static let byteCount = KeyId.byteCount + wrappedKeyByteCount

    public let keyId: KeyId
    public let wrappedKey: [UInt8]
}
