/// What stops a responder's command, with what to do about it.
public enum ResponderError: Error, Equatable, Sendable, CustomStringConvertible {
    case notInBundle(version: UInt64)
    case badId(String)
    case noSuchTip(String)
    case ambiguousId(String)
    case noReplyKey
    case emptyMessage
    /// The server sent something no honest server sends (an integer out of range).
    case badServerAnswer(String)
    /// The keystore already holds as many receiving keys as it can.
    case tooManyReceivingKeys(Int)
    /// As many receiving keys are live as the server keeps for one responder.
    case tooManyLiveReceivingKeys(Int)

    public var description: String {
        switch self {
        case .notInBundle(let v): "this key is not a responder in the bundle in force (version \(v)); it may have been revoked"
        case .badId(let id): "\(id) is not a tip id: give at least 4 hex characters"
        case .noSuchTip(let id): "no tip id starts with \(id); run tipline inbox to sync"
        case .ambiguousId(let id): "more than one tip id starts with \(id); give more characters"
        case .noReplyKey: "this tip carries no reply key, so its tipster cannot receive replies"
        case .emptyMessage: "the message is empty"
        case .badServerAnswer(let what): "the server's answer is not valid (\(what)); nothing was changed"
        case .tooManyReceivingKeys(let limit):
            "the keystore already holds \(limit) receiving keys that cannot be destroyed yet; run tipline inbox to archive and destroy old ones"
        case .tooManyLiveReceivingKeys(let limit):
            "you already have \(limit) receiving keys that have not expired, as many as the server keeps; a new one is made when the newest nears its end"
        }
    }
}
