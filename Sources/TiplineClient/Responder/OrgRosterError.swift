/// Why an organisation admin's change was refused.
public enum OrgRosterError: Error, Equatable, Sendable, CustomStringConvertible {
    case alreadyEnrolled(String)
    case notEnrolled(String)
    case tooManyResponders
    /// A bundle names the server's identity key; it must be set first.
    case noServerKey
    case noResponders
    case damaged

    public var description: String {
        switch self {
        case .alreadyEnrolled(let name): "\(name) (or their key) is already enrolled"
        case .notEnrolled(let name): "no enrolled responder is called \(name) or has that key id"
        case .tooManyResponders: "a bundle holds at most 128 responders"
        case .noServerKey: "the server's identity key is not set: pass --server-key server.pub (written by tipline-server init)"
        case .noResponders: "a bundle needs at least one responder: enroll one first"
        case .damaged: "the roster file is damaged"
        }
    }
}
