/// One message in a tipster's mailbox, as `tip check` shows it.
public struct MailboxMessage: Sendable, Encodable {
    public enum Kind: String, Sendable, Encodable {
        case reply
        case followUp = "follow-up"
    }

    public let sequence: UInt64
    public let receivedAt: UInt64
    public let kind: Kind
    /// A reply's text; `nil` for the tipster's own follow-ups, which are
    /// sealed to the responders only.
    public let text: String?
    /// The responder who signed a reply, by the name the bundle gives.
    public let from: String?
    /// Why a reply was refused (it could not be opened, or its signature is
    /// not a responder's); `nil` for an accepted message.
    public let problem: String?
}
