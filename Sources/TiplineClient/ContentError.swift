/// Why opened content was not accepted.
public enum ContentError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not the message the envelope kind promises.
    case malformed
    /// Signed by a key that no known bundle lists as a responder.
    case unknownSigner
    /// The responder signature does not verify: forged, or moved from another tip.
    case badSignature
    /// An attachment's content does not hash to what the tipster's manifest says.
    case attachmentMismatch(name: String)

    public var description: String {
        switch self {
        case .malformed: "the content is malformed"
        case .unknownSigner: "signed by a key that is not a responder in any known bundle"
        case .badSignature: "the responder's signature does not verify"
        case .attachmentMismatch(let name): "attachment \(name) does not match the tipster's manifest"
        }
    }
}
