/// What an audit entry records (PROTOCOL.md §15).
public enum AuditKind: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case tipSubmitted = 1
    case attachmentStored = 2
    case triageEvent = 3
    case reply = 4
    case followUp = 5
    case bundlePublished = 6
    case expirySet = 7
    case purge = 8
    /// A responder's signed receiving key (PROTOCOL.md §3.4, §14.2), kept for
    /// good so that an auditor can see every window a responder published.
    case receivingKeyPublished = 9

    public var description: String {
        switch self {
        case .tipSubmitted: "tip submitted"
        case .attachmentStored: "attachment stored"
        case .triageEvent: "triage event"
        case .reply: "reply"
        case .followUp: "follow-up"
        case .bundlePublished: "bundle published"
        case .expirySet: "expiry set"
        case .purge: "purge"
        case .receivingKeyPublished: "receiving key published"
        }
    }
}
