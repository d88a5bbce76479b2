import TiplineCrypto

/// One tip as a responder sees it after decryption: the tipster's words, the
/// triage state, the history and the attachments. Built in memory for each
/// command and never written to disk (except by `tipline export`, on request).
public struct TipCase: Sendable, Encodable {
    /// The longest tip text a reader holds in memory to show (PROTOCOL.md
    /// §17, "Long texts"); a longer text attachment is only saved as a file.
    public static let maximumTextBytes = TipDraft.maximumTextBytes

    /// The tip id in hex (32 characters); commands accept any unique prefix.
    public let id: String
    public let receivedAt: UInt64
    public let expiresAt: UInt64?
    public var what = ""
    public var place = ""
    public var time = ""
    public var contact = ""
    /// When the text was too long for the envelope: the attachment (1-based)
    /// that holds all of it. `what` holds its beginning until
    /// ``ResponderWorkspace/withWholeText(_:)`` fetches the rest.
    public var textAttachment: Int?
    /// Whether `what` is all the tipster wrote (false while only the beginning of a long text is known).
    public var textIsWhole = true
    /// Why the rest of a long text is not shown, if so.
    public var textProblem: String?
    /// Why the tip could not be opened or read, if so.
    public var problem: String?
    /// A reason to distrust an opened tip: it was not sealed to exactly the
    /// responders of a bundle the organisation signed (someone else may read it too).
    public var warning: String?
    public var triage = TriageState()
    public var history: [CaseEvent] = []
    public var attachments: [CaseAttachment] = []

    let tipId: [UInt8]
    let mailboxId: [UInt8]
    /// From the sealed tip: the key replies are sealed to, and the attachment keys.
    var replyKey: BoxPublicKey?
    /// From the sealed tip: the tipster's mailbox key, which signs their follow-ups.
    var mailboxKey: SigningPublicKey?
    /// The mailbox id of that key (`nil` for a tip from before issue 13).
    var tipsterMailboxId: [UInt8]? { mailboxKey.map { DomainHash.hash(DomainHash.Label.mailboxId, $0.bytes) } }
    /// ``CaseChain/hash(_:)`` of the tip's envelope and of each event's, in order.
    var chain: [[UInt8]] = []
    /// Each signature seen in this case, with the entry it first came in.
    var signatures: [[UInt8]: UInt64] = [:]
    /// The hash a new event names as the one it follows.
    var latestHash: [UInt8] { chain.last ?? [] }
    var manifest: [ManifestEntry] = []

    struct ManifestEntry: Sendable {
        let name: String
        let size: UInt64
        let key: SecureBytes
        let contentHash: [UInt8]
        /// The entry is the tip's text (the first entry flagged so; any later one is a file).
        let isText: Bool
    }

    init(tipId: [UInt8], receivedAt: UInt64, expiresAt: UInt64?, mailboxId: [UInt8]) {
        self.tipId = tipId
        id = Hex.encode(tipId)
        self.receivedAt = receivedAt
        self.expiresAt = expiresAt
        self.mailboxId = mailboxId
    }

    /// The first line of what the tipster wrote, for the inbox table.
    public var firstLine: String {
        if let problem { return "(\(problem))" }
        return what.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    }

    enum CodingKeys: String, CodingKey {
        case id, receivedAt, expiresAt, what, place = "where", time = "when", contact, textAttachment, textIsWhole, textProblem
        case problem, warning, triage, history, attachments
    }
}
