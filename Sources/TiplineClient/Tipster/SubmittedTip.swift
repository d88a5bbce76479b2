import TiplineCrypto

/// What the tipster takes away from a submission. Only the codename matters
/// to them; the tip id is the server's handle and is never shown.
public struct SubmittedTip: Sendable {
    public let codename: Codename
    public let tipId: [UInt8]
    /// The server's coarse receive time.
    public let receivedAt: UInt64
    public let attachmentsSent: Int
}
