/// What an envelope carries. The kind is authenticated, so a sealed triage
/// event can never be passed off as a tip or a reply (proto/PROTOCOL.md §4.1).
public enum EnvelopeKind: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// A tip from a tipster, sealed to the bundle's responders.
    case tip = 1
    /// A tipster's follow-up to an earlier tip, sealed to the bundle's responders.
    case followUp = 2
    /// A responder's triage event (status, priority, notes…), sealed to the responders.
    case triageEvent = 3
    /// A responder's reply, sealed to the tipster's reply key and the responders.
    case reply = 4

    public var description: String {
        switch self {
        case .tip: "tip"
        case .followUp: "follow-up"
        case .triageEvent: "triage event"
        case .reply: "reply"
        }
    }
}
