/// What the opener expects of an envelope, typically taken from the key
/// bundle in force: checking it turns a stripped or added recipient into a
/// precise error instead of a bare authentication failure.
public struct EnvelopeExpectation: Sendable {
    public let kind: EnvelopeKind
    /// The bundle id (or, for replies, the mailbox id) the envelope must name.
    public let context: [UInt8]
    /// The exact recipient list in canonical (ascending) order.
    public let recipients: [KeyId]

    public init(kind: EnvelopeKind, context: [UInt8], recipients: [KeyId]) {
        self.kind = kind
        self.context = context
        self.recipients = recipients.sorted()
    }

    /// A tip or follow-up made for `bundle`.
    public init(kind: EnvelopeKind, bundle: KeyBundle) {
        self.init(kind: kind, context: bundle.id, recipients: bundle.recipientKeyIds)
    }
}
