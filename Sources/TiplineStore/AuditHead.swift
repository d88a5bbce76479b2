import TiplineCrypto

/// The server's signed statement "the audit chain ends at `sequence`, whose
/// entry hash is `headHash`" (proto/PROTOCOL.md §16.3). The store keeps one
/// for every commit that grew the chain, signed in that same transaction, so
/// rows appended by anyone without the server's key are detected, and an
/// auditor who kept an older head can prove the chain only ever grew from it.
public struct AuditHead: Sendable, Equatable {
    /// The context of the Ed25519 signature (§9).
    public static let signatureContext = "tipline/v1/audit-head"

    public let sequence: UInt64
    public let headHash: [UInt8]
    /// The coarse time of the head entry (0 for the empty chain).
    public let time: UInt64
    public let signature: [UInt8]

    public init(sequence: UInt64, headHash: [UInt8], time: UInt64, signature: [UInt8]) {
        self.sequence = sequence
        self.headHash = headHash
        self.time = time
        self.signature = signature
    }

    /// Signs the head of a chain.
    public init(sequence: UInt64, headHash: [UInt8], time: UInt64, signedBy key: SigningKeyPair) {
        self.init(sequence: sequence, headHash: headHash, time: time,
                  signature: key.sign(Self.signedBytes(sequence: sequence, headHash: headHash, time: time),
                                      context: Self.signatureContext))
    }

    /// `u64(seq) || head_hash (32) || u64(time)`, the bytes the signature covers.
    public static func signedBytes(sequence: UInt64, headHash: [UInt8], time: UInt64) -> [UInt8] {
        var w = ByteWriter(capacity: 48)
        w.write(sequence)
        w.write(headHash)
        w.write(time)
        return w.bytes
    }

    /// Whether `serverKey` signed this head.
    public func isSigned(by serverKey: SigningPublicKey) -> Bool {
        headHash.count == AuditEntry.genesis.count
            && serverKey.isValidSignature(signature, for: Self.signedBytes(sequence: sequence, headHash: headHash, time: time),
                                          context: Self.signatureContext)
    }
}
