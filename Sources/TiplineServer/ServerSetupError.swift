import TiplineCrypto

/// Why the server could not be set up or started.
public enum ServerSetupError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The data directory already has a server identity.
    case alreadyInitialised(String)
    /// The configuration file does not parse.
    case badSettings(String)
    /// The keystore holds another kind of identity.
    case notAServerKeystore
    /// The listen address is not `HOST:PORT`.
    case badListenAddress(String)
    /// The configured organisation fingerprint has a typo.
    case badOrganisation(FingerprintError)
    /// A setting's value is outside what the server can honour.
    case settingOutOfRange(name: String, allowed: String)
    /// The store's audit chain holds entries no signed head covers: someone
    /// without the server's key appended to it. The server will not sign them.
    case unsignedAuditEntries(after: UInt64)

    public var description: String {
        switch self {
        case .alreadyInitialised(let p): "\(p) already holds a server identity; refusing to replace it"
        case .badSettings(let p): "\(p) is not a valid server configuration"
        case .notAServerKeystore: "the keystore does not hold a server identity"
        case .badListenAddress(let a): "'\(a)' is not HOST:PORT"
        case .badOrganisation(let error):
            "the organisation fingerprint in the server configuration (organisation): \(error)"
        case .settingOutOfRange(let name, let allowed): "\(name) must be \(allowed)"
        case .unsignedAuditEntries(let s):
            "the store's audit chain has entries after \(s) that the server never signed: it was changed by someone without the server key; run tipline audit --db and investigate before serving"
        }
    }
}
