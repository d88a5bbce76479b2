/// Why a receiving-key statement was refused: one case per check of
/// proto/PROTOCOL.md §3.4, in the order they are made.
public enum ReceivingKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed
    case badMagic
    case unsupportedFormat(UInt8)
    /// Signed for another organisation's bundle.
    case wrongOrganisation
    /// No responder of the bundle has the signing key it names.
    case unknownResponder
    case badSignature
    /// Its window is empty, or longer than the bundle allows.
    case invalidWindow
    /// Its key id is a responder's identity key id, which would blur which
    /// wraps are forward-secret.
    case keyIdCollision
    /// The all-zero X25519 key.
    case invalidKey
    case notYetValid
    case expired

    /// The name PROTOCOL.md and the test vectors use.
    public var name: String {
        switch self {
        case .malformed: "malformed"
        case .badMagic: "badMagic"
        case .unsupportedFormat: "unsupportedFormat"
        case .wrongOrganisation: "wrongOrganisation"
        case .unknownResponder: "unknownResponder"
        case .badSignature: "badSignature"
        case .invalidWindow: "invalidWindow"
        case .keyIdCollision: "keyIdCollision"
        case .invalidKey: "invalidKey"
        case .notYetValid: "notYetValid"
        case .expired: "expired"
        }
    }

    public var description: String {
        switch self {
        case .malformed: "the receiving key is not 165 bytes"
        case .badMagic: "this is not a Tipline receiving key"
        case .unsupportedFormat(let format): "the receiving key has unsupported format \(format)"
        case .wrongOrganisation: "the receiving key belongs to another organisation"
        case .unknownResponder: "the receiving key names no responder of the key bundle"
        case .badSignature: "the receiving key's signature is not valid"
        case .invalidWindow: "the receiving key's validity window is empty or longer than the key bundle allows"
        case .keyIdCollision: "the receiving key has a responder's identity key id"
        case .invalidKey: "the receiving key is the all-zero key"
        case .notYetValid: "the receiving key is not valid yet"
        case .expired: "the receiving key has expired"
        }
    }
}
