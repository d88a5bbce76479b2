import TiplineCrypto

/// The tip service's policy. Every limit is enforced before the work it guards.
public struct TipServiceConfiguration: Sendable {
    /// The organisation whose signed bundles the server accepts.
    public var organisation: Fingerprint
    /// Leading zero bits demanded of a submission's proof of work.
    public var proofOfWorkDifficulty: UInt8 = 16
    /// How long a challenge stays valid, in seconds.
    public var proofOfWorkLifetime: UInt64 = 600
    /// How far a signed request's time may be from the server's, in seconds.
    public var requestWindow: UInt64 = 300
    /// The largest envelope accepted (it must also fit one frame): the
    /// largest §4 allows, so that no content that seals is refused.
    public var maximumEnvelopeSize = Envelope.maximumByteCount
    /// The largest encrypted attachment stream accepted.
    public var maximumAttachmentSize: UInt64 = 256 * 1024 * 1024
    public var maximumAttachmentsPerTip = 16
    /// Bytes that uploads in progress may stage on the whole server, counted
    /// by their announced size when they start (issue 12 item 3).
    public var stagingQuota: UInt64 = 4 << 30
    /// Seconds after its tip was received (a time rounded down to the
    /// granularity) that an upload token stops opening uploads.
    public var uploadTokenLifetime: UInt64 = 86_400
    /// Inbox items per page of a sync.
    public var inboxPageSize = 256
    /// Most mailbox messages (FetchMailbox) and bundles (ListBundles) in one answer.
    public var listPageSize = 64
    /// Most envelope or bundle bytes in one answer of a paged list, well
    /// under the 1 MiB frame (one item always fits: an envelope is at most
    /// 1,000,000 bytes). Without it, a mailbox past 1 MiB could never be read.
    public var listPageBytes = 512 * 1024

    public init(organisation: Fingerprint) {
        self.organisation = organisation
    }
}
