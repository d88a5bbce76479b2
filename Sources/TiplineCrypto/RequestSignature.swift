/// A signed request (PROTOCOL.md §16): responders sign every call with their
/// Ed25519 key, and tipsters sign mailbox calls with their mailbox key.
///
///     signed = short(method) || server_key_id (16) || u64(time) || nonce (16) || H_32("tipline/v1/request-body", body)
///     signature = Sign(sk, "tipline/v1/request", signed)
///
/// carried in call metadata as `tl-key` (the signer's key id, or the mailbox
/// id), `tl-time` (u64), `tl-nonce` and `tl-signature`. `server_key_id` is
/// the key id of the server's identity key (the one its bundle names), so
/// that a request signed for one server is refused by every other, even
/// one that knows the same responder or mailbox key.
public struct RequestSignature: Sendable, Equatable {
    public static let context = "tipline/v1/request"
    public static let bodyLabel = "tipline/v1/request-body"
    public static let nonceByteCount = 16

    /// The key id of a responder's signing key, or a mailbox id.
    public let keyReference: [UInt8]
    public let time: UInt64
    public let nonce: [UInt8]
    public let signature: [UInt8]

    public init(keyReference: [UInt8], time: UInt64, nonce: [UInt8], signature: [UInt8]) {
        self.keyReference = keyReference
        self.time = time
        self.nonce = nonce
        self.signature = signature
    }

    /// Signs a call to `method` whose request message serialises to `body`.
    public static func sign(method: String, server: KeyId, body: [UInt8], keyReference: [UInt8], key: SigningKeyPair, time: UInt64,
                            random: some RandomSource = SystemRandom()) -> RequestSignature {
        let nonce = random.bytes(nonceByteCount)
        let signature = key.sign(signedBytes(method: method, server: server, time: time, nonce: nonce, body: body), context: context)
        return RequestSignature(keyReference: keyReference, time: time, nonce: nonce, signature: signature)
    }

    /// Whether `publicKey` signed this call to `method` on `server` with this `body`.
    public func isValid(method: String, server: KeyId, body: [UInt8], publicKey: SigningPublicKey) -> Bool {
        guard nonce.count == Self.nonceByteCount else { return false }
        return publicKey.isValidSignature(signature, for: Self.signedBytes(method: method, server: server, time: time, nonce: nonce,
                                                                           body: body),
                                          context: Self.context)
    }

    public static func signedBytes(method: String, server: KeyId, time: UInt64, nonce: [UInt8], body: [UInt8]) -> [UInt8] {
        var w = ByteWriter(capacity: 112 + method.utf8.count)
        w.writeShortString(Array(method.utf8.prefix(255)))
        w.write(server.bytes)
        w.write(time)
        w.write(nonce)
        w.write(DomainHash.hash(bodyLabel, body))
        return w.bytes
    }
}
