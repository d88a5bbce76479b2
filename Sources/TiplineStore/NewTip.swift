/// A validated submission, ready to store.
public struct NewTip: Sendable {
    public let envelope: [UInt8]
    public let paddedLength: Int
    public let mailboxId: [UInt8]
    public let mailboxKey: [UInt8]
    public let bundleVersion: UInt64
    public let attachmentSlots: Int
    public let uploadTokenHash: [UInt8]?

    public init(envelope: [UInt8], paddedLength: Int, mailboxId: [UInt8], mailboxKey: [UInt8], bundleVersion: UInt64,
                attachmentSlots: Int, uploadTokenHash: [UInt8]?) {
        self.envelope = envelope
        self.paddedLength = paddedLength
        self.mailboxId = mailboxId
        self.mailboxKey = mailboxKey
        self.bundleVersion = bundleVersion
        self.attachmentSlots = attachmentSlots
        self.uploadTokenHash = uploadTokenHash
    }
}
