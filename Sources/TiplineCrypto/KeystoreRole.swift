/// Whose keys a keystore holds.
public enum KeystoreRole: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// The organisation's signing key, which signs key bundles.
    case organisation = 1
    /// A responder's signing and box keys.
    case responder = 2
    /// The server's identity key, which signs the audit chain.
    case server = 3

    public var description: String {
        switch self {
        case .organisation: "organisation"
        case .responder: "responder"
        case .server: "server"
        }
    }
}
