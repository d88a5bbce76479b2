/// What the opener expects of an envelope, typically taken from the key
/// bundle in force: checking it turns a stripped or added recipient into a
/// precise error instead of a bare authentication failure.
public struct EnvelopeExpectation: Sendable {
    public let kind: EnvelopeKind
    /// The bundle id (or, for replies, the mailbox id) the envelope must name.
    public let context: [UInt8]
    /// The recipients that must be there, in canonical (ascending) order.
    public let recipients: [KeyId]
    /// How many recipients beyond `recipients` may be there: 1 for a
    /// follow-up, which a tipster also seals to their own reply key so as to
    /// read it back (PROTOCOL.md §17); 0 otherwise.
    public let extraRecipients: Int

    public init(kind: EnvelopeKind, context: [UInt8], recipients: [KeyId], extraRecipients: Int = 0) {
        self.kind = kind
        self.context = context
        self.recipients = recipients.sorted()
        self.extraRecipients = extraRecipients
    }

    /// A tip or follow-up made for `bundle`.
    public init(kind: EnvelopeKind, bundle: KeyBundle) {
        self.init(kind: kind, context: bundle.id, recipients: bundle.recipientKeyIds)
    }
}
