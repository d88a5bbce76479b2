import TiplineCrypto

/// Content whose signature verified (``ResponderSignature``), with where it
/// says it belongs. For content signed before issue 13 the place is unknown
/// (`nil`), and readers say so.
public struct SignedEvent: Sendable {
    public let signer: Responder
    public let body: [UInt8]
    /// The signature bytes: the same signature twice in one case is a replay.
    public let signature: [UInt8]
    public let bundleVersion: UInt64?
    public let signedAt: UInt64?
    /// ``CaseChain/hash(_:)`` of the case's latest envelope the signer had seen.
    public let previous: [UInt8]?

    /// Whether the signature binds the content to its place in the case.
    public var isBound: Bool { signedAt != nil }
}
