/// Why opened content was not accepted.
public enum ContentError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not the message the envelope kind promises.
    case malformed
    /// Signed by a key that no known bundle lists as a responder.
    case unknownSigner
    /// The responder signature does not verify: forged, or moved from another tip.
    case badSignature
    /// Signed under a bundle version no known bundle has.
    case unknownBundle(version: UInt64)
    /// The signer is a responder of some bundle, but not of the one it signed under.
    case notInBundle(version: UInt64)
    /// Signed after a bundle that removed the signer was issued.
    case revokedSigner(version: UInt64)
    /// A follow-up that carries no tipster's signature.
    case unsigned
    /// A follow-up signed by a key that is not the tipster's mailbox key.
    case notTheTipster
    /// An attachment's content does not hash to what the tipster's manifest says.
    case attachmentMismatch(name: String)

    public var description: String {
        switch self {
        case .malformed: "the content is malformed"
        case .unknownSigner: "signed by a key that is not a responder in any known bundle"
        case .badSignature: "the responder's signature does not verify"
        case .unknownBundle(let v): "signed under bundle version \(v), which the organisation never published"
        case .notInBundle(let v): "signed by a key that is not a responder of bundle version \(v), the one it names"
        case .revokedSigner(let v): "signed by a key that bundle version \(v) had already removed"
        case .unsigned: "not signed by the tipster (sent by an older tip, or written by someone else)"
        case .notTheTipster: "not signed by the tipster's mailbox key"
        case .attachmentMismatch(let name): "attachment \(name) does not match the tipster's manifest"
        }
    }
}
