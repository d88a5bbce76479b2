/// One line of a tip's history: a triage change or note, a reply to the
/// tipster, or a follow-up from them.
public struct CaseEvent: Sendable, Encodable {
    public enum Kind: String, Sendable, Encodable {
        case triage
        case reply
        case followUp = "follow-up"
    }

    public let sequence: UInt64
    public let receivedAt: UInt64
    public let kind: Kind
    /// The responder's name from the bundle; "tipster" for follow-ups.
    public let author: String
    /// What changed, for a triage event ("status=closed, +tag urgent").
    public let change: String
    /// A note, a reply's or a follow-up's text.
    public let text: String
    /// Set when the event could not be opened, its signature failed, or it
    /// is out of its place (replayed, moved, held back); such an event is
    /// shown as refused and changes nothing.
    public let problem: String?
    /// A reason to doubt an accepted event: a follow-up the tipster did not
    /// sign, an event from before events were bound to their place, or one
    /// the server recorded as another responder's action.
    public var warning: String? = nil
}
