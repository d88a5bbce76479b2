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

    public var description: String {
        switch self {
        case .alreadyInitialised(let p): "\(p) already holds a server identity; refusing to replace it"
        case .badSettings(let p): "\(p) is not a valid server configuration"
        case .notAServerKeystore: "the keystore does not hold a server identity"
        case .badListenAddress(let a): "'\(a)' is not HOST:PORT"
        }
    }
}
