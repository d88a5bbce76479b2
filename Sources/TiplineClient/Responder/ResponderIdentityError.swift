/// Why a responder identity file was refused.
public enum ResponderIdentityError: Error, Equatable, Sendable, CustomStringConvertible {
    case notAnIdentityFile
    case badField(String)
    /// The fingerprint line does not match the keys: the file was damaged or edited.
    case fingerprintMismatch

    public var description: String {
        switch self {
        case .notAnIdentityFile: "not a tipline responder identity file"
        case .badField(let field): "the identity file's \(field) is missing or invalid"
        case .fingerprintMismatch: "the identity file's fingerprint does not match its keys"
        }
    }
}
