import TiplineCrypto

/// A tip the server has durably stored. Only the codename matters to the
/// tipster; the tip id is the server's handle and is never shown.
public struct SubmittedTip: Sendable {
    public let codename: Codename
    /// What the codename unlocks, derived once: the upload token and the attachment keys.
    public let keys: CodenameKeys
    public let tipId: [UInt8]
    /// The server's coarse receive time.
    public let receivedAt: UInt64
    /// The files still to upload, in manifest order (the long text first, if any).
    public let attachments: [AttachmentFile]
}
